using RLKit.Environments;

namespace RLKit.Hosting;

/// <summary>
/// What a package adds to the defaults of an application that uses no dependency injection: the algorithms of
/// <see cref="AlgorithmRegistry.CreateDefault"/> (and so of <c>Checkpoint.LoadAgent(path)</c>) and the environments of
/// <c>new RLContext(seed)</c>. A package declares its module with <see cref="RLKitModuleAttribute{TModule}"/>; both
/// members do nothing unless the module overrides them.
/// </summary>
public interface IRLKitModule
{
    /// <summary>Adds the package's algorithms (with <see cref="AlgorithmRegistry.TryAdd"/>, so the first registration of a name wins).</summary>
    void AddAlgorithms(AlgorithmRegistry registry) { }

    /// <summary>Adds the package's environments and task sets.</summary>
    void AddEnvironments(EnvironmentCatalog catalog) { }
}
