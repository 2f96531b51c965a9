using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;

namespace RLKit.Envs.Grid;

/// <summary>
/// The task set "distral-grids-4-8": Distral grids 4, 5, 6, 7 and 8 as tasks 0 … 4, sharing the 3-float observation
/// and the 4 moves; each environment comes wrapped in a <c>TimeLimit</c> of
/// <see cref="DistralGridOptions.MaxEpisodeSteps"/>.
/// </summary>
public sealed class DistralGridTaskSet : ITaskSet
{
    private static readonly string[] Ids = ["DistralGrid4-v0", "DistralGrid5-v0", "DistralGrid6-v0", "DistralGrid7-v0", "DistralGrid8-v0"];
    private readonly DistralGridOptions _options;

    /// <summary>Creates the task set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public DistralGridTaskSet(DistralGridOptions? options = null)
    {
        _options = options ?? DistralGridOptions.Default;
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "distral-grids-4-8";

    /// <inheritdoc/>
    public int TaskCount => Ids.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> TaskIds => Ids;

    /// <inheritdoc/>
    public Space ObservationSpace { get; } = new Box(-1f, 1f, 3);

    /// <inheritdoc/>
    public Space ActionSpace { get; } = new Discrete(4);

    /// <inheritdoc/>
    public IEnvironment CreateEnvironment(int task)
    {
        if ((uint)task >= (uint)TaskCount)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"distral-grids-4-8: task must be in [0, {TaskCount - 1}].");
        return new TimeLimit(new DistralGrid(DistralGrid.FirstLayout + task), _options.MaxEpisodeSteps);
    }
}
