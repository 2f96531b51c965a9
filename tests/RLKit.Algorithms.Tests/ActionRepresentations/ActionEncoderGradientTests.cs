using RLKit.Algorithms.ActionRepresentations;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRepresentations;

/// <summary>Finite-difference checks of the HVAE's encoder, action inference (pooling, batch norm) and decoder.</summary>
public class ActionEncoderGradientTests
{
    [TestCase(5)]
    [TestCase(1)]
    public void TheObservationEncoderGradientsMatchFiniteDifferences(int steps)
    {
        var rng = GradCheck.TestRng();
        var encoder = new ObservationEncoder(steps, 2, 4, lstmLayers: 2, rng);
        GradCheck.Check(x => encoder.Forward(x[0]), [GradCheck.Input(rng, [3, steps, 2])]);
    }

    [TestCase(4)]
    [TestCase(1)]
    public void TheDecoderGradientsMatchFiniteDifferences(int steps)
    {
        var rng = GradCheck.TestRng();
        var decoder = new ObservationDecoder(steps, 2, 4, latentSize: 3, conditionSize: 2, rng);
        var inputs = new[] { GradCheck.Input(rng, [3, 3]), GradCheck.Input(rng, [3, 2]), GradCheck.Input(rng, [3, steps, 2]) };
        inputs[2].RequiresGrad = steps > 1; // a vector decoder reads no observation; a trajectory decoder reads x₀
        GradCheck.Check(x =>
        {
            var (mean, logVar) = decoder.Forward(x[0], x[1], x[2]);
            Assert.That(mean.ShapeArray(), Is.EqualTo(new[] { 3, decoder.DecodedSteps, 2 }));
            return Tensor.Concat([mean, logVar], 2);
        }, inputs, h: 1e-4, atol: 3e-3); // a small step: the ReLUs' kinks are close to some inputs
    }

    [Test]
    public void TheDecoderReadsOnlyTheFirstFrameOfATrajectory()
    {
        var rng = new RandomGenerator(4);
        var decoder = new ObservationDecoder(4, 2, 4, latentSize: 3, conditionSize: 0, rng);
        var latent = Tensor.RandomNormal(rng, [2, 3]);
        var observations = Tensor.RandomNormal(rng, [2, 4, 2]);
        var changed = observations.Clone();
        changed.AsSpan()[3] += 1f; // frame 1 of observation 0
        Assert.That(decoder.Forward(latent, null, changed).Mean.ToArray(), Is.EqualTo(decoder.Forward(latent, null, observations).Mean.ToArray()));
        Assert.That(decoder.Target(observations).ShapeArray(), Is.EqualTo(new[] { 2, 3, 2 }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TheActionInferenceGradientsMatchFiniteDifferences(bool training)
    {
        // Pooled features → post-pool MLP → global batch norm → (μ_c, log σ²_c), in both modes.
        var rng = GradCheck.TestRng();
        var vae = new HierarchicalVae(3, 2, ActionEncoderTestData.Small(), rng);
        vae.Train(training);
        GradCheck.Check(x =>
        {
            var (mean, logVar) = vae.ActionPosterior(x[0]);
            return Tensor.Concat([mean, logVar], 1);
        }, [GradCheck.Input(rng, [3, 8])], h: 1e-3);
    }

    [Test]
    public void TheWholeLossHasGradientsMatchingFiniteDifferencesInTheObservations()
    {
        // The sampling noise is replayed from the same seed at every evaluation, so the loss is a smooth function.
        var rng = GradCheck.TestRng();
        var vae = new HierarchicalVae(3, 2, ActionEncoderTestData.Small(), rng);
        vae.Eval();
        var set = ActionEncoderTestData.Random([2, 3], 3, 2, seed: 5);
        var batch = ObservationBatch.Sample(set, [0, 1], 3, new RandomGenerator(1));
        var observations = batch.Observations;
        observations.RequiresGrad = true;
        GradCheck.Check(x => vae.Loss(batch with { Observations = x[0] }, new RandomGenerator(7)).Loss, [observations], h: 1e-3, rtol: 5e-2, atol: 5e-3);
    }
}
