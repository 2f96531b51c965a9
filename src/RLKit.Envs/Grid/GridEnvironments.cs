using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Grid;

/// <summary>
/// Registers the grid environments: "DistralGrid4-v0" … "DistralGrid8-v0" and the task set "distral-grids-4-8"
/// (seed 001), "SkillGrid-v0" (seed 003 ch. 2), "DigLavaGrid-v0" (AGILE, seed 003 ch. 3) and "MiningGrid-v0"
/// (SAVO, seed 003 ch. 4). Every step limit is applied here as a <see cref="TimeLimit"/> (truncation); none of the
/// environments truncates by itself.
/// </summary>
internal static class GridEnvironments
{
    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
        for (int layout = DistralGrid.FirstLayout; layout <= DistralGrid.LastLayout; layout++)
        {
            int n = layout;
            catalog.Register($"DistralGrid{n}-v0",
                $"Distral two-room grid {n} (seed 001): 9×10, 4 moves, −0.1/step, −0.5 wall bump, +1 goal; 3-float state.",
                o => MakeDistralGrid(n, (DistralGridOptions?)o),
                typeof(DistralGridOptions));
        }
        catalog.RegisterTaskSet("distral-grids-4-8",
            "Distral two-room grids 4–8 as five tasks sharing spaces (seed 001).",
            o => DistralGrid.CreateTaskSet((DistralGridOptions?)o),
            typeof(DistralGridOptions));
        catalog.Register("SkillGrid-v0",
            "9×9 lava crossing with 1024 five-move skills as an ActionSet, per-episode subsampling from a 2:1:1 split (seed 003 ch. 2).",
            o =>
            {
                var options = (SkillGridOptions?)o ?? SkillGridOptions.Default;
                return new TimeLimit(new SkillGrid(options), options.MaxSkills);
            },
            typeof(SkillGridOptions));
        catalog.Register("DigLavaGrid-v0",
            "11×11 grid with orange and pink lava; 5 fixed skills + 2 drawn of 4 specials (dig-lava shortcuts), 11-D representations (AGILE).",
            o =>
            {
                var options = (DigLavaGridOptions?)o ?? DigLavaGridOptions.Default;
                return new TimeLimit(new DigLavaGrid(options), options.MaxSteps);
            },
            typeof(DigLavaGridOptions));
        catalog.Register("MiningGrid-v0",
            "Mining expedition: navigate to the goal, clearing mines with 100 pick-axes with 4-D representations (SAVO).",
            o =>
            {
                var options = (MiningGridOptions?)o ?? MiningGridOptions.Default;
                return new TimeLimit(new MiningGrid(options), options.MaxSteps);
            },
            typeof(MiningGridOptions));
    }

    private static IEnvironment MakeDistralGrid(int layout, DistralGridOptions? options)
    {
        options ??= DistralGridOptions.Default;
        options.Validate();
        return new TimeLimit(new DistralGrid(layout), options.MaxEpisodeSteps);
    }
}
