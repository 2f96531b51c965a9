using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Hosting;

/// <summary>
/// One algorithm by name: creates its estimator, so a configuration file or command line can choose it ("ppo", "dqn"),
/// and restores its agents from checkpoints. Registered as a keyed service under <see cref="Algorithm"/> by
/// <c>AddRLKit</c>, and listed by <see cref="AlgorithmRegistry"/>.
/// </summary>
public interface IAgentEstimatorFactory
{
    /// <summary>The key, which is also the algorithm's short name, e.g. "ppo".</summary>
    string Algorithm { get; }

    /// <summary>One line for listings.</summary>
    string Description { get; }

    /// <summary>The algorithm's immutable options record type, e.g. <c>PpoOptions</c>.</summary>
    Type OptionsType { get; }

    /// <summary>The estimator type, e.g. <c>PpoEstimator</c>.</summary>
    Type EstimatorType { get; }

    /// <summary>The agent type the estimator produces, e.g. <c>PpoAgent</c>.</summary>
    Type AgentType { get; }

    /// <summary>The default options (paper / RL-Zoo defaults), with <paramref name="seed"/> when given.</summary>
    object CreateOptions(ulong? seed = null);

    /// <summary>A copy of <paramref name="options"/> (an instance of <see cref="OptionsType"/>) with seed <paramref name="seed"/>; by default the options unchanged.</summary>
    object WithSeed(object options, ulong seed) => options;

    /// <summary>
    /// Reads an options record from JSON (missing properties keep their defaults), e.g. from a configuration file.
    /// Keys may be written PascalCase as in the record, camelCase or snake_case ("learning_rate"); enums as strings.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// If the JSON does not describe <see cref="OptionsType"/>: a key that names no option is refused with the nearest
    /// valid name.
    /// </exception>
    object ParseOptions(string json);

    /// <summary>Creates the estimator; the options are validated once here.</summary>
    /// <param name="options">An instance of <see cref="OptionsType"/>, or null for the defaults.</param>
    /// <exception cref="ArgumentException">If <paramref name="options"/> is not of <see cref="OptionsType"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    ConfiguredEstimator Create(object? options = null);

    /// <summary>
    /// Rebuilds the agent a checkpoint of this algorithm holds, with the checkpoint's options and spaces.
    /// <see cref="Checkpoint.LoadAgent"/> calls it, then validates and copies the weights into
    /// an <see cref="ICheckpointable"/> agent, so a restore need not.
    /// </summary>
    /// <exception cref="InvalidDataException">If the stored options do not fit <see cref="OptionsType"/>.</exception>
    IAgent Restore(CheckpointData checkpoint);
}
