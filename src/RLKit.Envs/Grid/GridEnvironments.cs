using RLKit.Environments;

namespace RLKit.Envs.Grid;

/// <summary>Registers the Grid environments in a catalog.</summary>
internal static class GridEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
    }
}
