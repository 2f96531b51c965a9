namespace RLKit.Environments;

/// <summary>Thrown by <see cref="CheckEnv.Check"/> with every contract rule the environment broke.</summary>
public sealed class EnvironmentCheckException : Exception
{
    /// <summary>Creates the exception for environment <paramref name="environmentId"/> with its failures.</summary>
    public EnvironmentCheckException(string environmentId, IReadOnlyList<string> failures)
        : base($"{environmentId} broke {failures.Count} environment contract rule(s):{Environment.NewLine} - {string.Join(Environment.NewLine + " - ", failures)}")
    {
        EnvironmentId = environmentId;
        Failures = failures;
    }

    /// <summary>The id of the checked environment.</summary>
    public string EnvironmentId { get; }

    /// <summary>One line per broken rule, each starting with the rule's name in brackets, e.g. "[determinism]".</summary>
    public IReadOnlyList<string> Failures { get; }
}
