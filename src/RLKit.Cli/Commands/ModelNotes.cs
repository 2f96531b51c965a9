namespace RLKit.Cli.Commands;

/// <summary>The notes <c>rlkit train</c> stores in a model file, which <c>evaluate</c> and <c>info</c> read back.</summary>
internal static class ModelNotes
{
    public const string Environment = "environment";
    public const string Steps = "steps";
    public const string Environments = "n_envs";
    public const string Seed = "seed";
    public const string Hyperparameters = "hyperparameters";
}
