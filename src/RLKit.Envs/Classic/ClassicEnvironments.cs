using RLKit.Environments;

namespace RLKit.Envs.Classic;

/// <summary>Registers the Classic environments in a catalog.</summary>
internal static class ClassicEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
    }
}
