using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class ModuleTests
{
    private sealed class Net : Layer
    {
        public Net(RandomGenerator rng, int hidden = 4)
        {
            Trunk = RegisterModule("trunk", new Mlp([3, hidden, 2], rng));
            Norm = RegisterModule("norm", new BatchNorm1d(2));
            Scale = RegisterParameter("scale", Tensor.Ones(2));
        }

        public Mlp Trunk { get; }
        public BatchNorm1d Norm { get; }
        public Tensor Scale { get; }

        public override Tensor Forward(Tensor input) => Norm.Forward(Trunk.Forward(input)) * Scale;

        public void AddDuplicate(string name) => RegisterParameter(name, Tensor.Ones(1));
    }

    [Test]
    public void NamedParametersFollowTheModuleTreeInRegistrationOrder()
    {
        var net = new Net(new RandomGenerator(1));
        var names = net.NamedParameters().Select(p => p.Key).ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "scale", "trunk.0.weight", "trunk.0.bias", "trunk.1.weight", "trunk.1.bias", "norm.weight", "norm.bias",
        }));
        Assert.That(net.NamedBuffers().Select(b => b.Key), Is.EqualTo(new[] { "norm.running_mean", "norm.running_var" }));
        Assert.That(net.ParameterCount, Is.EqualTo(2 + (3 * 4 + 4) + (4 * 2 + 2) + 2 + 2));
        Assert.That(net.Parameters().All(p => p.RequiresGrad), Is.True);
        Assert.That(net.NamedBuffers().All(b => !b.Value.RequiresGrad), Is.True);
        Assert.That(net.Children().Count(), Is.EqualTo(2));
    }

    [Test]
    public void StateDictHoldsParametersThenBuffersAndRoundTrips()
    {
        var a = new Net(new RandomGenerator(1));
        var b = new Net(new RandomGenerator(2));
        Assert.That(a.StateDict().Keys, Is.EqualTo(new[]
        {
            "scale", "trunk.0.weight", "trunk.0.bias", "trunk.1.weight", "trunk.1.bias",
            "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var",
        }));
        a.Norm.RunningMean!.AsSpan().Fill(0.25f);
        var x = Tensor.RandomNormal(new RandomGenerator(3), [5, 3]);
        a.Eval();
        b.Eval();
        Assert.That(b.Forward(x).ToArray(), Is.Not.EqualTo(a.Forward(x).ToArray()));

        b.LoadStateDict(a.StateDict());
        Assert.That(b.Forward(x).ToArray(), Is.EqualTo(a.Forward(x).ToArray()));
        Assert.That(b.Norm.RunningMean!.ToArray(), Is.All.EqualTo(0.25f));
        // Values were copied, not aliased.
        a.Scale.AsSpan()[0] = 7f;
        Assert.That(b.Scale.ToArray()[0], Is.EqualTo(1f));
    }

    [Test]
    public void CopyFromMakesTheSameFunction()
    {
        var a = new Net(new RandomGenerator(4));
        var b = new Net(new RandomGenerator(5));
        b.CopyFrom(a);
        a.Eval(); b.Eval();
        var x = Tensor.RandomNormal(new RandomGenerator(6), [2, 3]);
        Assert.That(b.Forward(x).ToArray(), Is.EqualTo(a.Forward(x).ToArray()));
        Assert.That(() => b.CopyFrom(new Net(new RandomGenerator(4), hidden: 5)),
            Throws.ArgumentException.With.Message.Contains("trunk.0.weight").And.Message.Contains("[5, 3]"));
    }

    [Test]
    public void LoadStateDictNamesMissingUnexpectedAndMismatchedKeys()
    {
        var net = new Net(new RandomGenerator(1));
        var state = net.StateDict().Where(kv => kv.Key != "trunk.1.bias")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        state["extra.weight"] = Tensor.Zeros(1);
        state["scale"] = Tensor.Zeros(3);
        var ex = Assert.Throws<ArgumentException>(() => net.LoadStateDict(state))!;
        Assert.That(ex.Message, Does.Contain("Missing keys: 'trunk.1.bias'"));
        Assert.That(ex.Message, Does.Contain("Unexpected keys: 'extra.weight'"));
        Assert.That(ex.Message, Does.Contain("'scale': expected [2], got [3]"));

        // Non-strict tolerates missing and unexpected keys but never a shape mismatch, and copies nothing on error.
        Assert.Throws<ArgumentException>(() => net.LoadStateDict(state, strict: false));
        Assert.That(net.Scale.ToArray(), Is.All.EqualTo(1f));
        state["scale"] = Tensor.Full(3f, 2);
        net.LoadStateDict(state, strict: false);
        Assert.That(net.Scale.ToArray(), Is.All.EqualTo(3f));
    }

    [Test]
    public void TrainAndEvalPropagateToDescendants()
    {
        var net = new Net(new RandomGenerator(1));
        Assert.That(net.Norm.IsTraining, Is.True);
        net.Eval();
        Assert.That(net.IsTraining || net.Norm.IsTraining || net.Trunk.Layers[0].IsTraining, Is.False);
        net.Train();
        Assert.That(net.Norm.IsTraining && net.Trunk.Layers[1].IsTraining, Is.True);
    }

    [Test]
    public void ZeroGradClearsEveryParameterGradient()
    {
        var net = new Net(new RandomGenerator(1));
        net.Forward(Tensor.RandomNormal(new RandomGenerator(2), [4, 3])).Square().Sum().Backward();
        Assert.That(net.Parameters().All(p => p.Grad is not null), Is.True);
        Assert.That(net.Trunk.Layers[0].Weight.Grad!.ToArray().Any(g => g != 0f), Is.True);
        net.ZeroGrad();
        Assert.That(net.Parameters().All(p => p.Grad!.ToArray().All(g => g == 0f)), Is.True);
    }

    [Test]
    public void ModulesBuiltInsideAScopeSurviveIt()
    {
        Net net;
        using (TensorScope.Begin())
        {
            net = new Net(new RandomGenerator(1));
        }
        Assert.That(net.StateDict().Values.Sum(t => t.ToArray().Length), Is.GreaterThan(0));
        using (TensorScope.Begin())
        {
            Assert.That(net.Forward(Tensor.Ones(2, 3)).Size, Is.EqualTo(4));
        }
    }

    [Test]
    public void DuplicateOrDottedNamesAreRejected()
    {
        var net = new Net(new RandomGenerator(1));
        Assert.That(() => net.AddDuplicate("trunk"), Throws.ArgumentException.With.Message.Contains("'trunk' is already used"));
        Assert.That(() => net.AddDuplicate("a.b"), Throws.ArgumentException.With.Message.Contains("dot"));
        Assert.That(() => net.AddDuplicate(""), Throws.ArgumentException);
    }
}
