using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Recommender;

/// <summary>Registers the RecSim-style recommender environments in a catalog, each with its episode length.</summary>
internal static class RecommenderEnvironments
{
    /// <summary>Episode length of "RecSim-SingleItem-v0" (SAVO's RecSim horizon, seed 003 App. G.4).</summary>
    public const int SingleItemMaxEpisodeSteps = 20;

    /// <summary>Episode length of "RecSim-Slate-v0" (AGILE's RecSim: 15 steps).</summary>
    public const int SlateMaxEpisodeSteps = 15;

    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
        catalog.Register("RecSim-SingleItem-v0",
            "RecSim-style single-item recommendation (SAVO): recommend one of 10,000 items (ActionSet with item vectors, train/test split); reward 1 per click; 20 steps.",
            o => new TimeLimit(new RecSimSingleItem((RecSimSingleItemOptions?)o), SingleItemMaxEpisodeSteps),
            typeof(RecSimSingleItemOptions));
        catalog.Register("RecSim-Slate-v0",
            "RecSim-style list-wise CPR recommendation (AGILE): a slate of 6 distinct item ids (ActionList over the 500-item catalogue) from 20 per-episode candidates (the available items); clicks favour high-CPR slates; reward 1 per click; 15 steps.",
            o => new TimeLimit(new RecSimSlate((RecSimSlateOptions?)o), SlateMaxEpisodeSteps),
            typeof(RecSimSlateOptions));
    }
}
