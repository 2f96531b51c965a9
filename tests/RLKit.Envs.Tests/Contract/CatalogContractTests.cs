using RLKit.Environments;
using RLKit.Environments.Vector;

namespace RLKit.Envs.Tests.Contract;

/// <summary>CheckEnv over every environment id and every task of every task set in the standard catalog.</summary>
public class CatalogContractTests
{
    private static IEnumerable<TestCaseData> EnvironmentIds() => CatalogCases.Environments("CheckEnv({0})");

    private static IEnumerable<TestCaseData> VectorIds() => CatalogCases.Environments("SyncVector({0})");

    private static IEnumerable<TestCaseData> TaskSetIds() => CatalogCases.TaskSets("CheckEnv(task set {0})");

    [TestCaseSource(nameof(EnvironmentIds))]
    public void RegisteredEnvironmentKeepsTheContract(string id)
    {
        using var env = StandardEnvironments.CreateCatalog().Make(id);
        Assert.That(env.Id, Is.Not.Empty);
        CheckEnv.Check(env, seed: 1);
    }

    [TestCaseSource(nameof(VectorIds))]
    public void RegisteredEnvironmentRunsInASyncVector(string id)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var vec = new SyncVectorEnvironment([catalog.Make(id), catalog.Make(id)]);
        vec.Reset(seed: 3);
        Assert.That(vec.Observations.Dim(0), Is.EqualTo(2));
    }

    [TestCaseSource(nameof(TaskSetIds))]
    public void EveryTaskOfARegisteredTaskSetKeepsTheContract(string id)
    {
        var tasks = StandardEnvironments.CreateCatalog().MakeTaskSet(id);
        Assert.That(tasks.TaskIds, Has.Count.EqualTo(tasks.TaskCount));
        var failures = new List<string>();
        for (int task = 0; task < tasks.TaskCount; task++)
        {
            using var env = tasks.CreateEnvironment(task);
            try
            {
                CheckEnv.Check(env, seed: (ulong)task, steps: 100);
            }
            catch (EnvironmentCheckException e)
            {
                failures.Add($"task {task} ({tasks.TaskIds[task]}): {e.Message}");
            }
        }
        Assert.That(failures, Is.Empty);
    }
}
