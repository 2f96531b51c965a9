using RLKit.Environments;

namespace RLKit.Envs.Recommender;

/// <summary>Registers the Recommender environments in a catalog.</summary>
internal static class RecommenderEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
    }
}
