using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Core.Tests.Training;

/// <summary>
/// Task <c>task</c> of a scripted task set: observation [task]; Box action of size 1; every episode lasts 3 steps with
/// reward task + 1 per step. Step 1's info says "success" = true (a distractor: only the last step counts); the last
/// step's says "success" = true when the action is <see cref="Target"/>(task) and the episode's index since the latest
/// seeded reset is a multiple of task + 1. So a correct policy succeeds in ⌈n / (task + 1)⌉ of n episodes.
/// </summary>
internal sealed class ScriptedTaskEnvironment(int task, bool reportSuccess = true) : IEnvironment
{
    public const int EpisodeLength = 3;

    private readonly float[] _observation = [task];
    private int _episode = -1;
    private int _t;

    /// <summary>The action that can succeed on task <paramref name="task"/>.</summary>
    public static float Target(int task) => task / 10f;

    public string Id => $"ScriptedTask{task}-v0";
    public Space ObservationSpace { get; } = new Box(-10f, 10f, 1);
    public Space ActionSpace { get; } = new Box(-1f, 1f, 1);
    public List<ulong?> ResetSeeds { get; } = [];
    public bool Disposed { get; private set; }

    public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        ResetSeeds.Add(seed);
        _episode = seed is null ? _episode + 1 : 0;
        _t = 0;
        return new ResetResult(_observation, EnvInfo.Empty);
    }

    public StepResult Step(int action) => throw new NotSupportedException("Box actions only.");
    public StepResult Step(ReadOnlySpan<int> action) => throw new NotSupportedException("Box actions only.");

    public StepResult Step(ReadOnlySpan<float> action)
    {
        _t++;
        bool done = _t >= EpisodeLength;
        IReadOnlyDictionary<string, object> info = EnvInfo.Empty;
        if (reportSuccess && _t == 1) info = new Dictionary<string, object> { ["success"] = true };
        if (reportSuccess && done)
            info = new Dictionary<string, object> { ["success"] = action[0] == Target(task) && _episode % (task + 1) == 0 };
        return new StepResult(_observation, task + 1, done, false, info);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>A task set of <see cref="ScriptedTaskEnvironment"/>s that keeps every environment it created.</summary>
internal sealed class ScriptedTaskSet(int tasks, bool reportSuccess = true) : ITaskSet
{
    public string Name => "scripted-tasks";
    public int TaskCount => tasks;
    public IReadOnlyList<string> TaskIds { get; } = Enumerable.Range(0, tasks).Select(t => $"Task{t}").ToArray();
    public Space ObservationSpace { get; } = new Box(-10f, 10f, 1);
    public Space ActionSpace { get; } = new Box(-1f, 1f, 1);
    public List<ScriptedTaskEnvironment> Created { get; } = [];

    public IEnvironment CreateEnvironment(int task)
    {
        var environment = new ScriptedTaskEnvironment(task, reportSuccess);
        Created.Add(environment);
        return environment;
    }
}

/// <summary>
/// A multi-task agent without networks: task t's policy acts <see cref="ScriptedTaskEnvironment.Target"/>(t), except
/// for the tasks in <c>wrong</c>, which act 1. It records (task, observation) of every call; the task-free policy throws.
/// </summary>
internal sealed class ScriptedMultiTaskAgent(IReadOnlyList<string> taskIds, params int[] wrong) : IMultiTaskAgent
{
    public string Algorithm => "scripted-multitask";
    public Space ObservationSpace { get; } = new Box(-10f, 10f, 1);
    public Space ActionSpace { get; } = new Box(-1f, 1f, 1);
    public IReadOnlyList<string> TaskIds => taskIds;
    public List<(int Task, float Observation)> Calls { get; } = [];

    public void Act(int task, Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        Calls.Add((task, observations.AsReadOnlySpan()[0]));
        actions[0] = wrong.Contains(task) ? 1f : ScriptedTaskEnvironment.Target(task);
    }

    public void Act(int task, Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("Box actions only.");

    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("No task-free policy.");

    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("No task-free policy.");
}
