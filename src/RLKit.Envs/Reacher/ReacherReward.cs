namespace RLKit.Envs.Reacher;

/// <summary>How a multistage-reacher task is rewarded.</summary>
public enum ReacherReward
{
    /// <summary>−distance to the current subgoal − control cost, plus a bonus for each subgoal reached.</summary>
    Dense,

    /// <summary>1 for each subgoal reached, 0 otherwise (QMP's task 3).</summary>
    Sparse,

    /// <summary>−distance of the fingertip from its initial position − control cost (QMP's task 4).</summary>
    StayStill,
}
