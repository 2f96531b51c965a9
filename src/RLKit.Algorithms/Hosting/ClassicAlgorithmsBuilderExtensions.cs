using Microsoft.Extensions.DependencyInjection.Extensions;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Savo;

namespace RLKit.Hosting;

/// <summary>Registers RLKit.Algorithms' classic algorithms and parts with <c>AddRLKit</c>.</summary>
public static class ClassicAlgorithmsBuilderExtensions
{
    /// <summary>
    /// Registers PPO, A2C, REINFORCE, DQN, soft Q-learning, SAC, discrete SAC, TD3, DDPG, cascaded DQN and SAVO as keyed
    /// <see cref="IAgentEstimatorFactory"/> services ("ppo", "a2c", "reinforce", "dqn", "sql", "sac", "sac-discrete",
    /// "td3", "ddpg", "cdqn", "savo") and in the <see cref="AlgorithmRegistry"/>, and the policy heads as keyed
    /// <see cref="PolicyHeadFactory"/> services, and the action-relation encoders and summarizers as keyed
    /// <see cref="ActionRelationEncoderFactory"/> ("gat", "gcn", "deepset", "lstm", "none") and
    /// <see cref="ActionSetSummarizerFactory"/> ("mean", "none") services, the ActionSet policy heads as keyed
    /// <see cref="ActionSetHeadFactory"/> services ("utility", "masked-categorical"), and the action encoders as keyed
    /// <see cref="ActionEncoderFactory"/> services ("hvae", "vae", "given"; they save and load themselves, see
    /// <see cref="ActionEncoders"/>), and SAVO's actor architectures as keyed <see cref="IActorArchitecture"/> services
    /// ("savo", "single", "wolpertinger", "ensemble", "cem", "joint"; see <see cref="ActorArchitectures"/>). The container's <see cref="RLContext"/> restores the algorithms' checkpoints
    /// (<c>rl.Model.Load</c>) through that registry. Idempotent.
    /// </summary>
    public static RLKitBuilder AddClassicAlgorithms(this RLKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var factory in ClassicAlgorithms.All) builder.AddAlgorithm(factory);
        foreach (var (name, head) in PolicyHeadFactories.All) builder.Services.TryAddKeyedSingleton(name, head);
        foreach (var (name, encoder) in ActionRelationEncoders.All) builder.Services.TryAddKeyedSingleton(name, encoder);
        foreach (var (name, summarizer) in ActionSetSummarizers.All) builder.Services.TryAddKeyedSingleton(name, summarizer);
        foreach (var (name, head) in ActionSetHeads.All) builder.Services.TryAddKeyedSingleton(name, head);
        foreach (var (name, factory) in ActionEncoders.All) builder.Services.TryAddKeyedSingleton(name, factory);
        foreach (var (name, architecture) in ActorArchitectures.All) builder.Services.TryAddKeyedSingleton(name, architecture);
        return builder;
    }
}
