using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class DeepSetTests
{
    [TestCase(SetPooling.Mean)]
    [TestCase(SetPooling.Sum)]
    public void OutputIsInvariantToPermutingTheSet(SetPooling pooling)
    {
        var rng = GradCheck.TestRng();
        var deepSet = new DeepSet(3, [8], 6, [8], 2, rng, Activation.Tanh, pooling);
        var set = Tensor.RandomNormal(rng, [2, 5, 3]);
        int[] order = [0, 1, 2, 3, 4];
        rng.Shuffle(order.AsSpan());
        if (order.SequenceEqual(new[] { 0, 1, 2, 3, 4 })) order = [4, 3, 2, 1, 0];
        var permuted = set.IndexSelect(1, order);
        Assert.That(permuted.ToArray(), Is.Not.EqualTo(set.ToArray()));
        Assert.That(deepSet.Forward(permuted).ToArray(), Is.EqualTo(deepSet.Forward(set).ToArray()).Within(1e-5f));
    }

    [TestCase(SetPooling.Mean)]
    [TestCase(SetPooling.Sum)]
    public void MaskedElementsAreIgnored(SetPooling pooling)
    {
        var rng = GradCheck.TestRng();
        // Tanh, not ReLU: with dead ReLUs both poolings could map to the same output and the last check could not fail.
        var deepSet = new DeepSet(2, [], 4, [4], 3, rng, Activation.Tanh, pooling);
        var set = Tensor.RandomNormal(rng, [1, 4, 2]);
        var mask = Tensor.FromArray([1f, 0f, 1f, 0f], 1, 4);
        var subset = set.IndexSelect(1, [0, 2]);
        Assert.That(deepSet.Forward(set, mask).ToArray(), Is.EqualTo(deepSet.Forward(subset).ToArray()).Within(1e-5f));
        // Sum and mean pooling are different functions.
        var other = new DeepSet(2, [], 4, [4], 3, new RandomGenerator(7), Activation.Tanh, pooling == SetPooling.Mean ? SetPooling.Sum : SetPooling.Mean);
        other.CopyFrom(deepSet);
        Assert.That(other.Forward(set).ToArray(), Is.Not.EqualTo(deepSet.Forward(set).ToArray()).Within(1e-4f));
        Assert.That(() => deepSet.Forward(set, Tensor.Ones(1, 3)), Throws.ArgumentException.With.Message.Contains("N=4"));
    }

    [Test]
    public void EmptyMaskedSetPoolsToZeros()
    {
        var phi = new Mlp([2, 3], new RandomGenerator(1), outputActivation: Activation.ReLU);
        var rho = new Linear(3, 1, new RandomGenerator(2));
        var deepSet = new DeepSet(phi, rho);
        var y = deepSet.Forward(Tensor.Ones(1, 2, 2), Tensor.Zeros(1, 2));
        Assert.That(y.ToArray(), Is.EqualTo(rho.Bias!.ToArray()));
        Assert.That(deepSet.StateDict().Keys, Is.EqualTo(new[] { "phi.0.weight", "phi.0.bias", "rho.weight", "rho.bias" }));
    }

    [TestCase(SetPooling.Mean, new[] { 2, 3, 2 })]
    [TestCase(SetPooling.Sum, new[] { 1, 1, 2 })]
    [TestCase(SetPooling.Mean, new[] { 4, 2 })]
    public void GradCheckWrtSetAndParameters(SetPooling pooling, int[] shape)
    {
        var rng = GradCheck.TestRng();
        var deepSet = new DeepSet(2, [3], 4, [], 2, rng, Activation.Tanh, pooling);
        Tensor? mask = null;
        if (shape.Length == 3 && shape[1] > 1)
        {
            mask = Tensor.Ones(shape[0], shape[1]);
            mask[0, 1] = 0f;
        }
        GradCheck.Check(t => deepSet.Forward(t[0], mask), [GradCheck.Input(rng, shape), .. deepSet.Parameters()]);
    }
}
