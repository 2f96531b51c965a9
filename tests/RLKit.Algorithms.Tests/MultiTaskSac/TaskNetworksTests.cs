using RLKit.Algorithms.MultiTaskSac;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.MultiTaskSac;

/// <summary>The three task-network layouts: shapes, per-task forward, and which member a task's gradient reaches.</summary>
public class TaskNetworksTests
{
    private static TaskNetworks Networks(TaskParameterSharing sharing, int tasks = 3) =>
        TaskNetworks.Create(sharing, tasks, inputSize: 4, hiddenSizes: [5, 6], outputSize: 2, ActivationKind.Tanh, new RandomGenerator(7));

    [TestCase(TaskParameterSharing.Separate)]
    [TestCase(TaskParameterSharing.Shared)]
    [TestCase(TaskParameterSharing.Multihead)]
    public void ForwardTaskEqualsThatTasksSliceOfTheBatchedForward(TaskParameterSharing sharing)
    {
        var networks = Networks(sharing);
        var input = Tensor.RandomNormal(new RandomGenerator(3), [3, 5, 4]);
        var shared = Tensor.RandomNormal(new RandomGenerator(4), [5, 4]);
        var batched = networks.Forward(input).ToArray();
        var sharedBatched = networks.Forward(shared).ToArray();
        for (int task = 0; task < 3; task++)
        {
            var rows = Tensor.FromSpan(input.AsReadOnlySpan().Slice(task * 20, 20), 5, 4);
            Assert.That(networks.ForwardTask(task, rows).ToArray(), Is.EqualTo(batched.Skip(task * 10).Take(10)).Within(1e-5f), $"task {task}, [T, N, in]");
            Assert.That(networks.ForwardTask(task, shared).ToArray(), Is.EqualTo(sharedBatched.Skip(task * 10).Take(10)).Within(1e-5f), $"task {task}, [N, in]");
        }
    }

    [Test]
    public void TheEnsembleEqualsTSeparateNetworksBuiltFromTheSameGenerator()
    {
        var ensemble = Networks(TaskParameterSharing.Separate);
        var looped = TaskNetworks.Create(TaskNetworkLayout.LoopedSeparate, 3, 4, [5, 6], 2, ActivationKind.Tanh, new RandomGenerator(7));
        var input = Tensor.RandomNormal(new RandomGenerator(3), [3, 5, 4]);
        Assert.That(looped.Forward(input).ToArray(), Is.EqualTo(ensemble.Forward(input).ToArray()).Within(1e-5f));
        var shared = Tensor.RandomNormal(new RandomGenerator(4), [5, 4]);
        Assert.That(looped.Forward(shared).ToArray(), Is.EqualTo(ensemble.Forward(shared).ToArray()).Within(1e-5f));
    }

    [TestCase(TaskParameterSharing.Separate)]
    [TestCase(TaskParameterSharing.Shared)]
    [TestCase(TaskParameterSharing.Multihead)]
    public void ATargetCopyHasTheSameLayoutAndWeights(TaskParameterSharing sharing)
    {
        var networks = Networks(sharing);
        var target = networks.CloneAsTarget(new RandomGenerator(99));
        Assert.That(target.GetType(), Is.EqualTo(networks.GetType()));
        var input = Tensor.RandomNormal(new RandomGenerator(3), [3, 5, 4]);
        Assert.That(target.Forward(input).ToArray(), Is.EqualTo(networks.Forward(input).ToArray()));
    }

    [TestCase(TaskParameterSharing.Separate)]
    [TestCase(TaskParameterSharing.Shared)]
    [TestCase(TaskParameterSharing.Multihead)]
    public void BiasesStartAtZeroAsInGarage(TaskParameterSharing sharing)
    {
        var biases = Networks(sharing).NamedParameters().Where(p => p.Key.EndsWith("bias", StringComparison.Ordinal)).ToList();
        Assert.That(biases, Is.Not.Empty);
        Assert.That(biases.SelectMany(p => p.Value.ToArray()), Has.All.EqualTo(0f));
    }

    [Test]
    public void AnInputOfAnotherShapeIsRefused()
    {
        var networks = Networks(TaskParameterSharing.Separate);
        Assert.That(Assert.Throws<ArgumentException>(() => networks.Forward(Tensor.Zeros(2, 5, 4)))!.Message, Does.Contain("[3, N, 4] or [N, 4]"));
        Assert.Throws<ArgumentException>(() => networks.Forward(Tensor.Zeros(5, 3)));
    }
}
