using RLKit.Environments;

namespace RLKit.Envs;

/// <summary>
/// The standard environment catalog: every environment and task set RLKit.Envs provides, by id.
/// </summary>
public static class StandardEnvironments
{
    /// <summary>A new catalog with every standard environment and task set registered.</summary>
    public static EnvironmentCatalog CreateCatalog()
    {
        var catalog = new EnvironmentCatalog();
        RegisterAll(catalog);
        return catalog;
    }

    /// <summary>Registers every standard environment and task set into <paramref name="catalog"/>.</summary>
    public static void RegisterAll(EnvironmentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Classic.ClassicEnvironments.Register(catalog);
        Grid.GridEnvironments.Register(catalog);
        Navigation.NavigationEnvironments.Register(catalog);
        Reacher.ReacherEnvironments.Register(catalog);
        Recommender.RecommenderEnvironments.Register(catalog);
    }
}
