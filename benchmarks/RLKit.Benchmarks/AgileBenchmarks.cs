using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Ppo;
using RLKit.Autograd;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// AGILE (seed 003 ch. 3) through the library's own code: acting, a PPO minibatch step on the dig-lava grid's shapes,
/// and a cascaded-DQN gradient step on the list-wise recommender's shapes.
/// </summary>
/// <remarks>
/// <para><c>ActStep50</c>: one greedy decision of a PPO agent with <see cref="Relations.Agile"/> (two GATs in the actor,
/// hidden 64) over 50 available actions with 11-float representations and the dig-lava grid's 166-float observation,
/// through <c>IActionSetAgent.Act</c> (the call an evaluation makes). <c>ActStep50x16</c>: the same for the 16 rows of a
/// training vector step.</para>
/// <para><c>PpoMinibatchDigLava</c>: forward, clipped-surrogate, value and entropy losses, backward and Adam on 128 rows of
/// the dig-lava shapes (9 skills, 7 available per row); a PPO update of the experiment runs 4 epochs × 16 of these.</para>
/// <para><c>CdqnUpdateRecSim</c>: one <c>CdqnEstimator.GradientStep</c> with Table B.4's RecSim settings: batch 128,
/// 20 candidates, lists of 6, the AGILE scorer shared over positions, the Algorithm 5 targets from the target network.</para>
/// </remarks>
[MemoryDiagnoser]
public class AgileBenchmarks
{
    private const int DigLavaObservation = 166, Representation = 11, RecSimItems = 500, RecSimDimension = 10;

    private PpoAgent _agent50 = null!;
    private Tensor _observation1 = null!, _observation16 = null!;
    private bool[] _available1 = null!, _available16 = null!;
    private int[] _action1 = null!, _action16 = null!;

    private PpoAgent _digLavaAgent = null!;
    private Adam _ppoOptimizer = null!;
    private Tensor _ppoObservations = null!, _advantages = null!, _returns = null!, _oldValues = null!, _oldLogProbs = null!;
    private bool[] _ppoMasks = null!;
    private int[] _ppoActions = null!;

    private CdqnNetwork _online = null!, _target = null!;
    private Adam _cdqnOptimizer = null!;
    private CdqnBatch _batch = null!;
    private float[] _itemRepresentations = null!;
    private CdqnOptions _cdqnOptions = null!;

    /// <summary>Builds the agents, networks and random batches from fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomGenerator(1);
        var ppo = new PpoOptions { Seed = 1, ActionRelations = Relations.Agile };

        var universe50 = new ActionSet(50, Representation, RandomFloats(rng, 50 * Representation));
        _agent50 = new PpoAgent(new Box(0f, 5f, DigLavaObservation), universe50, ppo, new RandomGenerator(2));
        _observation1 = Tensor.FromArray(RandomFloats(rng, DigLavaObservation), 1, DigLavaObservation);
        _observation16 = Tensor.FromArray(RandomFloats(rng, 16 * DigLavaObservation), 16, DigLavaObservation);
        _available1 = Enumerable.Repeat(true, 50).ToArray();
        _available16 = Enumerable.Repeat(true, 16 * 50).ToArray();
        _action1 = new int[1];
        _action16 = new int[16];

        const int rows = 128, skills = 9;
        var universe9 = new ActionSet(skills, Representation, RandomFloats(rng, skills * Representation));
        _digLavaAgent = new PpoAgent(new Box(0f, 5f, DigLavaObservation), universe9, ppo, new RandomGenerator(3));
        _ppoOptimizer = new Adam(_digLavaAgent.Network.Parameters(), 1e-3f, epsilon: 1e-5f);
        _ppoObservations = Tensor.FromArray(RandomFloats(rng, rows * DigLavaObservation), rows, DigLavaObservation);
        _ppoMasks = new bool[rows * skills];
        _ppoActions = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int s = 0; s < 5; s++) _ppoMasks[r * skills + s] = true; // four moves and turn-left
            int first = 5 + rng.NextInt(4), second = 5 + (first - 5 + 1 + rng.NextInt(3)) % 4;
            _ppoMasks[r * skills + first] = _ppoMasks[r * skills + second] = true;
            _ppoActions[r] = rng.NextInt(5);
        }
        _advantages = Tensor.FromArray(RandomFloats(rng, rows), rows);
        _returns = Tensor.FromArray(RandomFloats(rng, rows), rows);
        _oldValues = Tensor.FromArray(RandomFloats(rng, rows), rows);
        using (GradMode.NoGrad())
        {
            var (policy, _) = _digLavaAgent.Network.Forward(_ppoObservations, _ppoMasks);
            _oldLogProbs = policy.LogProb(_ppoActions).Detach();
        }

        _cdqnOptions = CdqnOptions.RecSim with { Seed = 4 };
        const int listLength = 6, candidates = 20;
        _online = new CdqnNetwork(RecSimDimension, RecSimDimension, listLength, _cdqnOptions, new RandomGenerator(4));
        _target = _online.CloneArchitecture(new RandomGenerator(5));
        _cdqnOptimizer = new Adam(_online.Parameters(), _cdqnOptions.LearningRate);
        _itemRepresentations = RandomFloats(rng, RecSimItems * RecSimDimension);
        var replay = new CdqnReplayBuffer(1_000, RecSimDimension, listLength, RecSimItems);
        var availability = new bool[RecSimItems];
        var list = new int[listLength];
        var candidateIds = new int[candidates];
        for (int t = 0; t < 1_000; t++)
        {
            Array.Clear(availability);
            for (int c = 0; c < candidates; c++)
            {
                int id;
                do id = rng.NextInt(RecSimItems); while (availability[id]);
                availability[id] = true;
                candidateIds[c] = id;
            }
            rng.Shuffle(candidateIds.AsSpan());
            candidateIds.AsSpan(0, listLength).CopyTo(list);
            replay.Add(RandomFloats(rng, RecSimDimension), availability, list, rng.NextInt(2), RandomFloats(rng, RecSimDimension), terminated: false);
        }
        _batch = new CdqnBatch(_cdqnOptions.BatchSize, RecSimDimension, listLength, RecSimItems);
        replay.Sample(_batch, new RandomGenerator(6));
    }

    /// <summary>One greedy decision over 50 actions.</summary>
    [Benchmark]
    public int ActStep50()
    {
        _agent50.Act(_observation1, _available1, _action1, deterministic: true);
        return _action1[0];
    }

    /// <summary>Sixteen rows' decisions over 50 actions each (a training vector step).</summary>
    [Benchmark]
    public int ActStep50x16()
    {
        _agent50.Act(_observation16, _available16, _action16, deterministic: true);
        return _action16[0];
    }

    /// <summary>One PPO minibatch (128 rows) on the dig-lava shapes: losses, backward, gradient clipping, Adam.</summary>
    [Benchmark]
    public float PpoMinibatchDigLava()
    {
        using var scope = TensorScope.Begin();
        var (policy, value) = _digLavaAgent.Network.Forward(_ppoObservations, _ppoMasks);
        var ratio = (policy.LogProb(_ppoActions) - _oldLogProbs).Exp();
        var loss = PpoLoss.ClippedSurrogate(ratio, _advantages, 0.1f)
                   + PpoLoss.Value(value, _returns, _oldValues, null) * 0.5f
                   - policy.Entropy().Mean() * 0.05f;
        _ppoOptimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(_ppoOptimizer.Parameters, 0.5f);
        _ppoOptimizer.Step();
        return loss.Item();
    }

    /// <summary>One cascaded-DQN gradient step: batch 128, 20 candidates, lists of 6.</summary>
    [Benchmark]
    public double CdqnUpdateRecSim() =>
        CdqnEstimator.GradientStep(_online, _target, _cdqnOptimizer, _batch, _itemRepresentations, _cdqnOptions).Loss;

    private static float[] RandomFloats(RandomGenerator rng, int count)
    {
        var values = new float[count];
        rng.FillNormal(values);
        return values;
    }
}
