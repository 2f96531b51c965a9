namespace RLKit.Cli.Configuration;

/// <summary>
/// A command line or hyperparameter file the tool cannot use (unknown key, bad value, missing section): the command
/// exits with <see cref="ExitCodes.Usage"/> and the message, which names what is wrong.
/// </summary>
internal sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
