namespace RLKit.Onnx;

/// <summary>
/// The names of an exported model's inputs and outputs. Every one has a dynamic first dimension named "batch"; which
/// outputs a model has depends on the agent (see <see cref="OnnxExporter"/>).
/// </summary>
public static class OnnxNames
{
    /// <summary>Input: float32 [batch, observation size], the flattened observations (raw ones when normalisation is folded in).</summary>
    public const string Observation = "observation";

    /// <summary>Input of agents with a masked categorical head (ActionSet spaces): bool [batch, actions], true where an action is allowed.</summary>
    public const string ActionMask = "action_mask";

    /// <summary>Output: float32 [batch, actions], the policy's logits (−1e9 added where the mask forbids an action).</summary>
    public const string Logits = "logits";

    /// <summary>Output: float32 [batch, actions], softmax of the logits.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>
    /// Output: the greedy action. int64 [batch] for discrete agents (the index the agent's <c>Act</c> returns), float32
    /// [batch, action size] for continuous ones (in the environment's units, inside the action box).
    /// </summary>
    public const string Action = "action";

    /// <summary>Output of actor-critic agents (PPO, A2C, REINFORCE): float32 [batch], the state value V(s).</summary>
    public const string Value = "value";

    /// <summary>Output of Q-value agents (DQN, soft Q-learning): float32 [batch, actions], Q(s, a).</summary>
    public const string QValues = "q_values";
}
