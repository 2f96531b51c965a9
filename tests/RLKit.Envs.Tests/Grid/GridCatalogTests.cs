using RLKit.Environments;

namespace RLKit.Envs.Tests.Grid;

public class GridCatalogTests
{
    private static readonly string[] Ids =
        ["DistralGrid4-v0", "DistralGrid5-v0", "DistralGrid6-v0", "DistralGrid7-v0", "DistralGrid8-v0", "SkillGrid-v0", "DigLavaGrid-v0", "MiningGrid-v0"];

    [TestCaseSource(nameof(Ids))]
    public void RegisteredGridPassesCheckEnv(string id)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        Assert.That(catalog.Contains(id), Is.True);
        using var env = catalog.Make(id);
        Assert.DoesNotThrow(() => CheckEnv.Check(env, seed: 3, steps: 100));
    }

    [Test]
    public void DistralTaskSetTasksPassCheckEnv()
    {
        var tasks = StandardEnvironments.CreateCatalog().MakeTaskSet("distral-grids-4-8");
        for (int t = 0; t < tasks.TaskCount; t++)
        {
            using var env = tasks.CreateEnvironment(t);
            Assert.DoesNotThrow(() => CheckEnv.Check(env, seed: 1, steps: 50));
        }
    }
}
