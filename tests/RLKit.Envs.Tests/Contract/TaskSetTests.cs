using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Tests.Contract;

public class TaskSetTests
{
    [Test]
    public void CreatesEachTasksEnvironmentAndValidatesTheIndex()
    {
        var tasks = new TaskSet("counters", ["Counter-2", "Counter-4"], task => new CounterEnv(terminateAfter: 2 + 2 * task, id: $"Counter-{2 + 2 * task}"));
        Assert.That((tasks.Name, tasks.TaskCount), Is.EqualTo(("counters", 2)));
        Assert.That(tasks.TaskIds, Is.EqualTo(new[] { "Counter-2", "Counter-4" }));
        Assert.That(tasks.ObservationSpace.Description, Is.EqualTo("Box(0, 1E+06, [2])"));
        using var env = tasks.CreateEnvironment(1);
        Assert.That(env.Id, Is.EqualTo("Counter-4"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tasks.CreateEnvironment(2));
        Assert.That(e!.Message, Does.Contain("[0, 1]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tasks.CreateEnvironment(-1));
    }

    [Test]
    public void RejectsTasksWithDifferentSpacesAndBadIds()
    {
        var mismatch = Assert.Throws<ArgumentException>(() =>
            new TaskSet("mixed", ["a", "b"], task => task == 0 ? new CounterEnv() : new RandomWalkEnv()));
        Assert.That(mismatch!.Message, Does.Contain("task 1 (b)"));
        Assert.Throws<ArgumentException>(() => new TaskSet("dup", ["a", "a"], _ => new CounterEnv()));
        Assert.Throws<ArgumentException>(() => new TaskSet("none", [], _ => new CounterEnv()));
        Assert.Throws<ArgumentException>(() => new TaskSet("", ["a"], _ => new CounterEnv()));
    }

    [Test]
    public void WrappedTasksShareSpaces() =>
        Assert.DoesNotThrow(() => new TaskSet("limited", ["a", "b"], task => new TimeLimit(new CounterEnv(), 10 + task)));
}
