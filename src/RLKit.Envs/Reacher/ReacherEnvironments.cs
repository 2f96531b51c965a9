using RLKit.Environments;

namespace RLKit.Envs.Reacher;

/// <summary>Registers the Reacher environments in a catalog.</summary>
internal static class ReacherEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
    }
}
