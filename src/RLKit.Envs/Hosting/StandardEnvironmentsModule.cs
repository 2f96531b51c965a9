using RLKit.Environments;
using RLKit.Envs;
using RLKit.Hosting;

[assembly: RLKitModule<StandardEnvironmentsModule>]

namespace RLKit.Envs;

/// <summary>
/// RLKit.Envs' <see cref="IRLKitModule"/>: the standard environments and task sets for a context made without a catalog
/// (<c>new RLContext(seed)</c>).
/// </summary>
internal sealed class StandardEnvironmentsModule : IRLKitModule
{
    public void AddEnvironments(EnvironmentCatalog catalog) => StandardEnvironments.RegisterAll(catalog);
}
