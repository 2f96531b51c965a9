using RLKit.Nn;
using RLKit.Tensors;
using static RLKit.Core.Tests.Tensors.Ops.EnsembleLinearTests;

namespace RLKit.Core.Tests.Nn;

/// <summary>
/// EnsembleLinear and EnsembleMlp: the same initial weights as T separate Linear / Mlp layers built from one
/// generator, the same outputs and gradients, parameter names, gradient checks and errors.
/// </summary>
public class EnsembleLayerTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void EnsembleLinearEqualsSeparateLinears(bool bias)
    {
        const int members = 3, inFeatures = 5, outFeatures = 4;
        var weightInit = bias ? null : Initializer.Orthogonal(1.3f);
        var biasInit = bias ? Initializer.Uniform(-0.3f, 0.2f) : null;
        var ensemble = new EnsembleLinear(members, inFeatures, outFeatures, new RandomGenerator(11), bias, weightInit, biasInit);
        var rng = new RandomGenerator(11);
        var separate = Enumerable.Range(0, members).Select(_ => new Linear(inFeatures, outFeatures, rng, bias, weightInit, biasInit)).ToArray();

        Assert.That(ensemble.StateDict().Keys, Is.EqualTo(bias ? new[] { "weight", "bias" } : new[] { "weight" }));
        Assert.That(ensemble.Weight.ShapeArray(), Is.EqualTo(new[] { members, outFeatures, inFeatures }));
        Assert.That(ensemble.Bias?.ShapeArray(), bias ? Is.EqualTo(new[] { members, outFeatures }) : Is.Null);
        Assert.That((ensemble.Members, ensemble.InFeatures, ensemble.OutFeatures), Is.EqualTo((members, inFeatures, outFeatures)));
        AssertSameFunction(ensemble, separate.Select(l => (Layer)l).ToArray(), separate.Select(ParametersOf).ToArray(), ParametersOf(ensemble), rows: 6, inFeatures);
    }

    [Test]
    public void EnsembleMlpEqualsSeparateMlps()
    {
        // Orthogonal inits read the rng in a shape-dependent way, so a wrong draw order (layer-major instead of
        // member-major) or a wrong output init would show.
        const int members = 4;
        int[] sizes = [3, 8, 6, 2];
        var weightInit = Initializer.Orthogonal(MathF.Sqrt(2f));
        var outputInit = Initializer.Orthogonal(0.01f);
        var ensemble = new EnsembleMlp(members, sizes, new RandomGenerator(5), Activation.Tanh, Activation.Sigmoid, weightInit, outputInit);
        var rng = new RandomGenerator(5);
        var separate = Enumerable.Range(0, members)
            .Select(_ => new Mlp(sizes, rng, Activation.Tanh, Activation.Sigmoid, weightInit: weightInit, outputWeightInit: outputInit)).ToArray();

        Assert.That(ensemble.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias" }));
        Assert.That(ensemble.Sizes, Is.EqualTo(sizes));
        Assert.That(ensemble.Members, Is.EqualTo(members));
        Assert.That(ensemble.Layers.Select(l => (l.InFeatures, l.OutFeatures)), Is.EqualTo(new[] { (3, 8), (8, 6), (6, 2) }));
        AssertSameFunction(ensemble, separate, separate.Select(ParametersOf).ToArray(), ParametersOf(ensemble), rows: 5, sizes[0]);
    }

    [Test]
    public void EnsembleMlpDefaultsMirrorMlp()
    {
        var ensemble = new EnsembleMlp(2, [4, 16, 3], new RandomGenerator(9));
        var rng = new RandomGenerator(9);
        var separate = new[] { new Mlp([4, 16, 3], rng), new Mlp([4, 16, 3], rng) };
        Assert.That(ensemble.HiddenActivation, Is.EqualTo(separate[0].HiddenActivation));
        Assert.That(ensemble.OutputActivation, Is.EqualTo(separate[0].OutputActivation));
        AssertSameFunction(ensemble, separate, separate.Select(ParametersOf).ToArray(), ParametersOf(ensemble), rows: 3, 4);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void EnsembleMlpGradCheck(bool sharedInput)
    {
        var rng = GradCheck.TestRng();
        var mlp = new EnsembleMlp(3, [4, 5, 2], rng, Activation.Tanh, Activation.Tanh);
        var x = GradCheck.Input(rng, sharedInput ? [2, 4] : [3, 2, 4]);
        GradCheck.Check(t => mlp.Forward(t[0]), [x, .. mlp.Parameters()]);
    }

    [Test]
    public void BadArgumentsAreRefusedWithClearErrors()
    {
        var rng = new RandomGenerator(1);
        Assert.That(() => new EnsembleLinear(0, 2, 3, rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("members"));
        Assert.That(() => new EnsembleLinear(2, 0, 3, rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("inFeatures"));
        Assert.That(() => new EnsembleLinear(2, 2, -1, rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("outFeatures"));
        Assert.That(() => new EnsembleMlp(0, [2, 3], rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("members"));
        Assert.That(() => new EnsembleMlp(2, [2], rng), Throws.ArgumentException.With.Message.Contains("[2]"));
        Assert.That(() => new EnsembleMlp(2, [2, 0, 1], rng), Throws.ArgumentException.With.Message.Contains("sizes[1] = 0"));

        var layer = new EnsembleLinear(3, 4, 2, rng);
        Assert.That(() => layer.Forward(Tensor.Zeros(2, 5, 4)), Throws.ArgumentException.With.Message.Contains("[2, 5, 4]").And.Message.Contains("[3, rows, 4]"));
        Assert.That(() => layer.Forward(Tensor.Zeros(5, 3)), Throws.ArgumentException.With.Message.Contains("[5, 3]"));
        var mlp = new EnsembleMlp(3, [4, 8, 1], rng);
        Assert.That(() => mlp.Forward(Tensor.Zeros(3, 5, 6)), Throws.ArgumentException.With.Message.Contains("[3, 5, 6]"));
        Assert.That(mlp.Forward(Tensor.Zeros(7, 4)).ShapeArray(), Is.EqualTo(new[] { 3, 7, 1 }));
    }

    /// <summary>Every member's parameters of a separate network, in registration order.</summary>
    private static Tensor[] ParametersOf(Module module) => module.Parameters().ToArray();

    /// <summary>
    /// Checks that the ensemble's parameters hold the separate networks' initial values bit for bit, then that forward
    /// and every gradient agree (to 1e-5) with a per-member input and with a shared one.
    /// </summary>
    /// <param name="ensembleParameters">The ensemble's parameters, parameter j stacking the separate networks' parameter j.</param>
    private static void AssertSameFunction(Layer ensemble, Layer[] separate, Tensor[][] separateParameters, Tensor[] ensembleParameters, int rows, int inFeatures)
    {
        int members = separate.Length;
        for (int j = 0; j < ensembleParameters.Length; j++)
            Assert.That(ensembleParameters[j].ToArray(), Is.EqualTo(separateParameters.SelectMany(p => p[j].ToArray()).ToArray()),
                $"initial value of parameter {j}");

        var rng = new RandomGenerator(21);
        foreach (bool shared in new[] { false, true })
        {
            foreach (var p in ensembleParameters.Concat(separateParameters.SelectMany(p => p))) p.Grad = null;
            var x = GradCheck.Input(rng, shared ? [rows, inFeatures] : [members, rows, inFeatures]);
            var y = ensemble.Forward(x);
            int outFeatures = y.Dim(-1);
            Assert.That(y.ShapeArray(), Is.EqualTo(new[] { members, rows, outFeatures }));
            var g = Tensor.RandomUniform(rng, y.ShapeArray(), -1f, 1f);
            y.Backward(g);

            var sharedX = GradCheck.Input(rng, [rows, inFeatures]);
            if (shared) sharedX.CopyFrom(x);
            for (int t = 0; t < members; t++)
            {
                var xt = shared ? sharedX : Leaf(Block(x, t), rows, inFeatures);
                var yt = separate[t].Forward(xt);
                yt.Backward(Tensor.FromArray(Block(g, t), rows, outFeatures));
                Assert.That(Block(y, t), Is.EqualTo(yt.ToArray()).Within(1e-5), $"output of member {t} (shared input: {shared})");
                if (!shared) Assert.That(Block(x.Grad!, t), Is.EqualTo(xt.Grad!.ToArray()).Within(1e-5), $"input gradient of member {t}");
                for (int j = 0; j < ensembleParameters.Length; j++)
                    Assert.That(Block(ensembleParameters[j].Grad!, t), Is.EqualTo(separateParameters[t][j].Grad!.ToArray()).Within(1e-5),
                        $"gradient of parameter {j}, member {t} (shared input: {shared})");
            }
            if (shared) Assert.That(x.Grad!.ToArray(), Is.EqualTo(sharedX.Grad!.ToArray()).Within(1e-5), "shared input gradient");
        }
    }
}
