using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The "given" encoder: an action's representation is the mean of its observations as they are, flattened
/// (Steps × Features floats), e.g. a recommender's item features or a hand-engineered code. Nothing to train.
/// </summary>
internal sealed class GivenActionEncoder : IActionEncoder
{
    public GivenActionEncoder(int steps, int features, ActionEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ActionEncoderInput.CheckShape(steps, features);
        options.Validate();
        Steps = steps;
        Features = features;
        Options = options;
    }

    public string Name => "given";

    public int RepresentationSize => Steps * Features;

    /// <summary>Frames per observation.</summary>
    public int Steps { get; }

    /// <summary>Floats per frame.</summary>
    public int Features { get; }

    /// <summary>The options it was created with (kept only so a saved file records them).</summary>
    public ActionEncoderOptions Options { get; }

    public IReadOnlyList<ActionEncoderEpoch> Fit(ActionObservationSet observations, ReadOnlySpan<int> trainingActions,
                                                 IProgress<ActionEncoderEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ActionEncoderInput.Check(observations, trainingActions, Steps, Features, Name, nameof(trainingActions));
        if (trainingActions.IsEmpty)
            throw new ArgumentException($"{Name} action encoder: trainingActions is empty; training needs at least one action.", nameof(trainingActions));
        return [];
    }

    public float[] Infer(ActionObservationSet observations, ReadOnlySpan<int> actions)
    {
        ActionEncoderInput.Check(observations, actions, Steps, Features, Name, nameof(actions));
        int size = RepresentationSize;
        var result = new float[actions.Length * size];
        var sum = new double[size];
        for (int i = 0; i < actions.Length; i++)
        {
            Array.Clear(sum);
            int count = observations.ObservationCount(actions[i]);
            foreach (int o in ActionEncoderInput.CanonicalOrder(observations, actions[i]))
            {
                var observation = observations.Observation(actions[i], o);
                for (int j = 0; j < size; j++) sum[j] += observation[j];
            }
            for (int j = 0; j < size; j++) result[i * size + j] = (float)(sum[j] / count);
        }
        return result;
    }

    public void Save(string path) => ActionEncoderFile.Save(path, Name, Steps, Features, Options, new Dictionary<string, Tensor>());
}
