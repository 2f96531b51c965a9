namespace RLKit.Envs.Classic;

/// <summary>What an invalid action of a restricted environment does instead (seed 003, appendix C.3.1).</summary>
public enum InvalidActionEffect
{
    /// <summary>Zero torque or force for the step, as in the restricted Hopper and Walker.</summary>
    Zero,

    /// <summary>
    /// Every action component is replaced by −1 (in the environment's action units), as in the restricted inverted
    /// pendulums: zeroing would make "choose an invalid action" the optimal balancing policy.
    /// </summary>
    MinusOne,
}
