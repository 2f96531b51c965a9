using RLKit.Environments;

namespace RLKit.Hosting;

/// <summary>
/// What <c>AddRLKit</c> has registered into one service collection, kept as a singleton instance in it so a second
/// <c>AddRLKit</c> call finds and extends the first one's registrations instead of adding new ones.
/// </summary>
internal sealed class RLKitRegistrations
{
    private readonly List<(string Name, Action<EnvironmentCatalog> Register)> _environments = [];

    public AlgorithmRegistry Algorithms { get; } = new();

    public ulong Seed { get; set; }

    public void TryAddEnvironments(string name, Action<EnvironmentCatalog> register)
    {
        lock (_environments)
        {
            if (_environments.Exists(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))) return;
            _environments.Add((name, register));
        }
    }

    public EnvironmentCatalog CreateEnvironmentCatalog()
    {
        var catalog = new EnvironmentCatalog();
        lock (_environments)
        {
            foreach (var (_, register) in _environments) register(catalog);
        }
        return catalog;
    }
}
