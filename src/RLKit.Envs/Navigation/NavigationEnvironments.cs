using RLKit.Environments;

namespace RLKit.Envs.Navigation;

/// <summary>Registers the Navigation environments in a catalog.</summary>
internal static class NavigationEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
    }
}
