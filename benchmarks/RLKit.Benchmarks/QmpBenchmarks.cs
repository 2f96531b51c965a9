using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// QMP on the 10-task maze with Table 1's settings (obs 4, action 2, [256, 256] tanh actors and twin critics, batch 256
/// per task), through the training code itself so it cannot drift from the estimators.
/// </summary>
/// <remarks>
/// <para><c>GradientStep*</c>: one <see cref="MultiTaskSacLearner.Step(MultiTaskReplayBuffer)"/> of all ten tasks —
/// sample 256 transitions per task from buffers of 3,000, critic targets (actor and both target critics on s′), critic
/// update, actor update through both critics (their weights frozen), temperature update, Polyak update of the targets.
/// About 2.7 G multiply-adds (5.4 GFLOP) in the GEMMs: sixteen 10 × 256³ products (forward and backward of the
/// [256, 256] layers), the input and output layers adding about 1%. <c>Ensemble</c> is the harness's batched layout (one GEMM
/// per layer over all tasks); <c>Looped</c> the same networks, initialised identically, as ten separate MLPs.</para>
/// <para><c>QSwitchSelection*</c>: one behaviour step of QMP for ten tasks with one sub-environment each: every policy's
/// proposal for every task's state (actors on [10 rows] → [10, 10, ·]), the Q-switch scores Q1_i(s_i, ā_j) of all 100
/// pairs in one critic pass ([10, 10, 6]), the argmax and the copy of the chosen samples. 13.5 M multiply-adds.</para>
/// </remarks>
[MemoryDiagnoser]
public class QmpBenchmarks
{
    private const int Tasks = 10, ObservationSize = 4, ActionSize = 2, Filled = 3_000;

    private MultiTaskSacLearner _ensembleLearner = null!, _loopedLearner = null!;
    private MultiTaskReplayBuffer _buffers = null!;
    private RandomGenerator _rng = null!;
    private MixtureBehavior _ensembleBehavior = null!, _loopedBehavior = null!;
    private MultiTaskSacModel _ensembleModel = null!, _loopedModel = null!;
    private TaskAssignment _assignment = null!;
    private Tensor _states = null!;
    private float[] _actions = null!;

    /// <summary>Builds both layouts from one seed, and buffers of random maze-like transitions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = MultiTaskSacOptions.Preset(new QmpOptions { Seed = 1 }, MultiTaskSacPreset.Maze);
        var box = new Box(-1f, 1f, ActionSize);
        _ensembleModel = new MultiTaskSacModel(ObservationSize, box, Tasks, options, new RandomGenerator(1));
        _loopedModel = new MultiTaskSacModel(ObservationSize, box, Tasks, options, new RandomGenerator(1), TaskNetworkLayout.LoopedSeparate);
        _ensembleLearner = new MultiTaskSacLearner(_ensembleModel, MultiTaskSacHooks.None, new RandomGenerator(2));
        _loopedLearner = new MultiTaskSacLearner(_loopedModel, MultiTaskSacHooks.None, new RandomGenerator(2));

        _rng = new RandomGenerator(3);
        _buffers = new MultiTaskReplayBuffer(Tasks, ObservationSize, ActionLayout.Continuous(ActionSize), new ReplayBufferOptions { Capacity = Filled });
        var observation = new float[ObservationSize];
        var next = new float[ObservationSize];
        var action = new float[ActionSize];
        for (int task = 0; task < Tasks; task++)
            for (int t = 0; t < Filled; t++)
            {
                for (int i = 0; i < ObservationSize; i++) (observation[i], next[i]) = (_rng.Uniform(0f, 10f), _rng.Uniform(0f, 10f));
                box.Sample(_rng, action);
                _buffers[task].Add(observation, action, _rng.Uniform(-1f, 0f), next, terminated: t % 600 == 599, truncated: false);
            }

        _assignment = new TaskAssignment([.. Enumerable.Range(0, Tasks).Select(t => $"task{t}")], 1);
        _ensembleBehavior = new MixtureBehavior(options, new QSwitchMixer(), _assignment);
        _loopedBehavior = new MixtureBehavior(options, new QSwitchMixer(), _assignment);
        _states = Tensor.RandomNormal(new RandomGenerator(4), [Tasks, ObservationSize]);
        _actions = new float[Tasks * ActionSize];
    }

    /// <summary>One gradient step of all ten tasks, batched over tasks.</summary>
    [Benchmark]
    public void GradientStepEnsemble() => _ensembleLearner.Step(_buffers);

    /// <summary>The same step with ten separate networks per role (the layout before the ensemble layer).</summary>
    [Benchmark(Baseline = true)]
    public void GradientStepLooped() => _loopedLearner.Step(_buffers);

    /// <summary>One Q-switch action selection for ten tasks (one sub-environment each), batched over tasks.</summary>
    [Benchmark]
    public float QSwitchSelectionEnsemble() => Select(_ensembleBehavior, _ensembleModel);

    /// <summary>The same selection with ten separate networks per role.</summary>
    [Benchmark]
    public float QSwitchSelectionLooped() => Select(_loopedBehavior, _loopedModel);

    private float Select(MixtureBehavior behavior, MultiTaskSacModel model)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        behavior.Act(model, _states, _assignment, iteration: 0, _actions, _rng);
        return _actions[0];
    }
}
