using RLKit.Optim;

namespace RLKit.Algorithms.Distral;

/// <summary>Distral's optimizers, Adam over h0 and over each f_i at the options' learning rate.</summary>
internal sealed class DistralOptimizers
{
    public DistralOptimizers(DistralModel model)
    {
        float learningRate = model.Options.LearningRate;
        Distilled = new Adam(model.Distilled.Parameters(), learningRate);
        Tasks = [.. model.Tasks.Select(network => new Adam(network.Parameters(), learningRate))];
        Named = [("distilled", Distilled), .. Tasks.Select((optimizer, task) => ($"task{task}", (Optimizer)optimizer))];
    }

    public Adam Distilled { get; }

    public Adam[] Tasks { get; }

    /// <summary>Every optimizer under the name its state is saved with: "distilled" and "task{i}".</summary>
    public (string Name, Optimizer Optimizer)[] Named { get; }
}
