using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Common;

[TestFixture]
public sealed class ActorCriticTests
{
    private static ActorCriticNetwork Build(bool shared, int seed = 1) =>
        new(4, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(2), latent, rng), new RandomGenerator(seed), sharedTrunk: shared);

    [Test]
    public void SeparateTrunksHaveCleanRLNamesAndInitialisation()
    {
        var net = Build(shared: false);
        var names = net.StateDict().Keys.ToArray();
        Assert.That(names, Is.EquivalentTo(new[]
        {
            "actor.0.weight", "actor.0.bias", "actor.1.weight", "actor.1.bias",
            "critic.0.weight", "critic.0.bias", "critic.1.weight", "critic.1.bias",
            "policy.logits.weight", "policy.logits.bias", "value.weight", "value.bias",
        }));
        var state = net.StateDict();
        // Orthogonal rows of gain g have norm g (the output layers have fewer rows than columns).
        Assert.That(RowNorm(state["policy.logits.weight"], 0), Is.EqualTo(0.01).Within(1e-4));
        Assert.That(RowNorm(state["value.weight"], 0), Is.EqualTo(1).Within(1e-4));
        Assert.That(state["actor.0.bias"].AsSpan().ToArray(), Has.All.EqualTo(0f));
    }

    [Test]
    public void SharedTrunkHasOneTrunkAndFewerParameters()
    {
        var shared = Build(shared: true);
        Assert.That(shared.StateDict().Keys.Any(k => k.StartsWith("trunk.", StringComparison.Ordinal)), Is.True);
        Assert.That(shared.ParameterCount, Is.LessThan(Build(shared: false).ParameterCount));
    }

    [Test]
    public void ForwardGivesTheSameOutputsAsPolicyAndValue([Values] bool shared)
    {
        var net = Build(shared);
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var obs = Tensor.RandomNormal(new RandomGenerator(2), [5, 4]);
        var (policy, value) = net.Forward(obs);
        Assert.That(value.Shape.ToArray(), Is.EqualTo(new[] { 5 }));
        Assert.That(value.AsSpan().ToArray(), Is.EqualTo(net.Value(obs).AsSpan().ToArray()));
        Assert.That(policy.LogProb([0, 1, 0, 1, 0]).AsSpan().ToArray(),
                    Is.EqualTo(net.Policy(obs).LogProb([0, 1, 0, 1, 0]).AsSpan().ToArray()));
    }

    [Test]
    public void WrongObservationWidthThrows()
    {
        var net = Build(shared: false);
        Assert.Throws<ArgumentException>(() => net.Value(Tensor.Zeros(2, 3)));
    }

    private static double RowNorm(Tensor weight, int row)
    {
        int cols = weight.Dim(1);
        var data = weight.AsSpan().Slice(row * cols, cols).ToArray();
        return Math.Sqrt(data.Sum(x => (double)x * x));
    }
}
