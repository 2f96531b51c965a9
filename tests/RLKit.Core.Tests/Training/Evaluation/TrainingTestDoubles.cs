using RLKit.Autograd;
using RLKit.Environments;
using RLKit.Hosting;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Core.Tests.Training;

/// <summary>
/// An environment with scripted episode lengths: the observation is [step index within the episode]; the reward is the
/// discrete action's id or the first continuous action component; episode i terminates after lengths[i % n] steps and,
/// when <c>reportSuccess</c>, reports "success" = (length ≥ 3) on its last step.
/// </summary>
internal sealed class ScriptedEnvironment(Space actionSpace, int[] episodeLengths, bool reportSuccess = false) : IEnvironment
{
    private readonly float[] _observation = new float[1];
    private int _episode = -1;
    private int _t;

    public string Id => "Scripted-v0";
    public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, 1);
    public Space ActionSpace { get; } = actionSpace;
    public List<ulong?> ResetSeeds { get; } = [];
    public int Steps { get; private set; }
    public bool Disposed { get; private set; }

    public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        ResetSeeds.Add(seed);
        _episode++;
        _t = 0;
        _observation[0] = 0;
        return new ResetResult(_observation, EnvInfo.Empty);
    }

    public StepResult Step(int action) => Advance(action);
    public StepResult Step(ReadOnlySpan<float> action) => Advance(action[0]);
    public StepResult Step(ReadOnlySpan<int> action) => Advance(action[0]);

    private StepResult Advance(double reward)
    {
        Steps++;
        _t++;
        _observation[0] = _t;
        int length = episodeLengths[_episode % episodeLengths.Length];
        bool done = _t >= length;
        var info = done && reportSuccess ? new Dictionary<string, object> { ["success"] = length >= 3 } : EnvInfo.Empty;
        return new StepResult(_observation, reward, done, false, info);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>
/// An agent without a network: deterministic acting always picks action 1 (or 0.5 for Box); stochastic acting picks
/// 0 or 1 with the generator. It records the observation tensors it was given.
/// </summary>
internal sealed class ScriptedAgent(Space actionSpace) : IAgent
{
    public string Algorithm => "scripted";
    public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, 1);
    public Space ActionSpace { get; } = actionSpace;
    public List<float> SeenObservations { get; } = [];
    public HashSet<Tensor> SeenTensors { get; } = new(ReferenceEqualityComparer.Instance);
    public List<string> SeenShapes { get; } = [];

    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        Record(observations);
        actions[0] = deterministic ? 1 : rng!.NextInt(2);
    }

    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        Record(observations);
        actions[0] = deterministic ? 0.5f : rng!.NextSingle();
    }

    private void Record(Tensor observations)
    {
        SeenTensors.Add(observations);
        SeenShapes.Add(Tensor.ShapeString(observations.Shape));
        SeenObservations.Add(observations.AsReadOnlySpan()[0]);
    }
}

/// <summary>The options record of <see cref="LinearTestAgent"/>.</summary>
internal sealed record LinearTestOptions(int Hidden = 4, float Gamma = 0.99f, string Note = "test");

/// <summary>A small checkpointable agent: a two-layer policy whose greedy action is the argmax of its logits.</summary>
internal sealed class LinearTestAgent : ICheckpointable
{
    public const string Name = "linear-test";

    private readonly Linear _hidden;
    private readonly Linear _output;

    public LinearTestAgent(int observationSize, int actions, LinearTestOptions options, ulong seed, string algorithm = Name)
    {
        var rng = new RandomGenerator(seed);
        Algorithm = algorithm;
        TypedOptions = options;
        ObservationSpace = new Box(-1f, 1f, observationSize);
        ActionSpace = new Discrete(actions);
        _hidden = new Linear(observationSize, options.Hidden, rng);
        _output = new Linear(options.Hidden, actions, rng);
    }

    /// <summary>Restores linear test agents saved under <paramref name="algorithm"/>; it has no estimator.</summary>
    public static AgentEstimatorFactory<LinearTestOptions, LinearTestAgent> Factory(string algorithm = Name) => new(
        algorithm, "A linear test agent (restore only).", typeof(IAgentEstimator<LinearTestAgent>), static () => new LinearTestOptions(),
        static (options, _) => options, static _ => throw new NotSupportedException("The linear test agent has no estimator."),
        data => new LinearTestAgent(data.Metadata.ObservationSpace.Shape[0], ((Discrete)data.Metadata.ActionSpace.ToSpace()).N,
                                    data.GetOptions<LinearTestOptions>(), seed: 123, algorithm));

    public string Algorithm { get; }
    public LinearTestOptions TypedOptions { get; }
    public object Options => TypedOptions;
    public Space ObservationSpace { get; }
    public Space ActionSpace { get; }

    public IReadOnlyDictionary<string, Tensor> Weights
    {
        get
        {
            var weights = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in _hidden.StateDict()) weights.Add("policy.hidden." + name, tensor);
            foreach (var (name, tensor) in _output.StateDict()) weights.Add("policy.output." + name, tensor);
            return weights;
        }
    }

    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        var problems = Checkpoint.DescribeWeightMismatches(Weights, weights);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(weights));
        foreach (var (name, tensor) in Weights) tensor.CopyFrom(weights[name]);
    }

    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        using var _ = GradMode.NoGrad();
        var logits = _output.Forward(_hidden.Forward(observations).Tanh());
        int n = ActionSpace is Discrete d ? d.N : 0;
        var values = logits.AsReadOnlySpan();
        for (int row = 0; row < actions.Length; row++)
        {
            int best = 0;
            for (int a = 1; a < n; a++) if (values[row * n + a] > values[row * n + best]) best = a;
            actions[row] = best;
        }
    }

    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("LinearTestAgent acts in a Discrete space.");
}
