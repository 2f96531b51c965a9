using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// The hierarchical VAE of seed 003 ch. 2 (the "hvae" action encoder) on the skill grid's shapes: observations are
/// trajectories of 6 frames × 2 floats (x, y), 32 per action, with the paper's architecture (Bi-LSTM 2 × 64, action
/// hidden 128, c and z of 16).
/// </summary>
/// <remarks>
/// <para><c>TrainingStep</c>: one RAdam step on a batch of 128 actions × 32 sampled observations (4096 trajectories):
/// sampling and padding, the forward pass through encoder, action and observation inference, prior and LSTM decoder,
/// the negative ELBO, backward and the optimizer.</para>
/// <para><c>Infer256</c>: the representations of 256 actions from all of their observations (8192 trajectories), in
/// evaluation mode.</para>
/// </remarks>
[MemoryDiagnoser]
public class HvaeBenchmarks
{
    private const int Actions = 256, ObservationsPerAction = 32, Steps = 6, Features = 2;

    private HierarchicalVae _vae = null!;
    private ActionObservationSet _observations = null!;
    private int[] _batch = null!, _all = null!;

    /// <summary>Builds the encoder and random trajectories from fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomGenerator(1);
        var counts = Enumerable.Repeat(ObservationsPerAction, Actions).ToArray();
        var data = new float[Actions * ObservationsPerAction * Steps * Features];
        rng.FillUniform(data, -1f, 1f);
        _observations = new ActionObservationSet(counts, Steps, Features, data);
        var options = new ActionEncoderOptions { BatchSize = 128, ObservationsPerAction = ObservationsPerAction };
        _vae = new HierarchicalVae(Steps, Features, options, new RandomGenerator(2));
        _batch = Enumerable.Range(0, options.BatchSize).ToArray();
        _all = Enumerable.Range(0, Actions).ToArray();
    }

    /// <summary>One training step: 128 actions × 32 trajectories of 6 × 2.</summary>
    [Benchmark]
    public double TrainingStep() => _vae.TrainStep(_observations, _batch).Loss;

    /// <summary>The representations of 256 actions from their 32 trajectories each.</summary>
    [Benchmark]
    public float[] Infer256() => _vae.Infer(_observations, _all);
}
