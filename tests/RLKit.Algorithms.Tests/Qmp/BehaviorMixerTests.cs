using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Qmp;

/// <summary>
/// The behaviour mixers on hand-built contexts, and QMP's behaviour policy on a real model: what the Q-switch scores
/// (task i's first critic at every policy's mean action tanh(μ)) and what a row executes (the chosen policy's sample).
/// </summary>
public class BehaviorMixerTests
{
    /// <summary>A context of <paramref name="rowTasks"/> rows whose score matrix is <paramref name="scores"/> (row-major, R × T).</summary>
    private static BehaviorMixingContext Context(int[] rowTasks, int tasks, float[] scores, QmpOptions? options = null, ulong seed = 1)
    {
        int rows = rowTasks.Length;
        return new BehaviorMixingContext(rowTasks, Tensor.Zeros(rows, 1), Tensor.Zeros(tasks, rows, 1), Tensor.Zeros(tasks, rows, 1),
                                         () => scores, options ?? new QmpOptions(), new RandomGenerator(seed));
    }

    /// <summary>How often each policy is chosen over <paramref name="rows"/> rows of task 0 with the same scores.</summary>
    private static double[] Frequencies(IBehaviorMixer mixer, int tasks, float[] rowScores, QmpOptions options, int rows = 30_000)
    {
        var scores = Enumerable.Range(0, rows).SelectMany(_ => rowScores).ToArray();
        var chosen = new int[rows];
        mixer.Choose(Context(new int[rows], tasks, scores, options), chosen);
        return [.. Enumerable.Range(0, tasks).Select(j => chosen.Count(c => c == j) / (double)rows)];
    }

    /// <summary>Each frequency within 5 binomial standard deviations of its probability (zero-probability policies never chosen).</summary>
    private static void AssertFrequencies(double[] observed, double[] expected, int rows = 30_000)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            double tolerance = 5 * Math.Sqrt(expected[j] * (1 - expected[j]) / rows);
            Assert.That(observed[j], Is.EqualTo(expected[j]).Within(tolerance), $"policy {j}: observed [{string.Join(", ", observed)}]");
        }
    }

    [Test]
    public void QSwitchPicksTheArgmaxOfEachRowFirstOnTies()
    {
        // Row 0 (task 1): policy 1 scores best; row 1 (task 0): policies 0 and 2 tie; row 2 (task 2): policy 2.
        float[] scores = [1f, 3f, 2f, 5f, -1f, 5f, -4f, -3f, -2f];
        var chosen = new int[3];
        new QSwitchMixer().Choose(Context([1, 0, 2], 3, scores), chosen);
        Assert.That(chosen, Is.EqualTo(new[] { 1, 0, 2 }));
    }

    [Test]
    public void UniformPicksEveryPolicyEquallyOften()
    {
        var observed = Frequencies(new UniformMixer(), 3, [9f, 0f, 0f], new QmpOptions { Mixer = BehaviorMixers.Uniform });
        AssertFrequencies(observed, [1 / 3.0, 1 / 3.0, 1 / 3.0]);
    }

    [Test]
    public void DomainPicksByTheRowsNormalisedWeights()
    {
        var options = new QmpOptions { Mixer = BehaviorMixers.Domain, DomainWeights = [[1f, 3f, 0f], [0f, 1f, 0f], [1f, 1f, 1f]] };
        var observed = Frequencies(new DomainMixer(), 3, [9f, 0f, 0f], options);
        AssertFrequencies(observed, [0.25, 0.75, 0]);
        var chosen = new int[200];
        new DomainMixer().Choose(Context(Enumerable.Repeat(1, 200).ToArray(), 3, new float[600], options), chosen);
        Assert.That(chosen, Has.All.EqualTo(1), "task 1's weights put everything on policy 1");
    }

    [Test]
    public void SoftmaxPicksByExpScoreOverTemperature()
    {
        float[] rowScores = [0f, 1f, 2f];
        foreach (float temperature in new[] { 0.5f, 4f })
        {
            var observed = Frequencies(new SoftmaxMixer(), 3, rowScores, new QmpOptions { Mixer = BehaviorMixers.Softmax, SoftmaxTemperature = temperature });
            double[] weights = [.. rowScores.Select(q => Math.Exp(q / temperature))];
            AssertFrequencies(observed, [.. weights.Select(w => w / weights.Sum())]);
        }
    }

    [Test]
    public void ScoresAreComputedOnlyWhenAMixerAsksForThem()
    {
        int computed = 0;
        var context = new BehaviorMixingContext([0, 1], Tensor.Zeros(2, 1), Tensor.Zeros(2, 2, 1), Tensor.Zeros(2, 2, 1),
                                                () => { computed++; return [0f, 1f, 1f, 0f]; }, new QmpOptions(), new RandomGenerator(1));
        new UniformMixer().Choose(context, new int[2]);
        Assert.That(computed, Is.EqualTo(0), "uniform never looks at values");
        new QSwitchMixer().Choose(context, new int[2]);
        new SoftmaxMixer().Choose(context, new int[2]);
        Assert.That(computed, Is.EqualTo(1), "one batched pass serves every mixer that asks");
    }

    /// <summary>Delegates to a mixer and keeps copies of what it saw.</summary>
    private sealed class RecordingMixer(IBehaviorMixer inner) : IBehaviorMixer
    {
        public float[] Scores = [], MeanActions = [], SampledActions = [];
        public int[] Chosen = [];

        public void Choose(BehaviorMixingContext context, Span<int> policies)
        {
            Scores = context.Scores().ToArray();
            MeanActions = context.MeanActions.ToArray();
            SampledActions = context.SampledActions.ToArray();
            inner.Choose(context, policies);
            Chosen = policies.ToArray();
        }
    }

    [TestCase(TaskParameterSharing.Separate)]
    [TestCase(TaskParameterSharing.Shared)]
    [TestCase(TaskParameterSharing.Multihead)]
    public void QSwitchScoresTaskCriticAtEveryPolicysMeanActionAndExecutesTheChosenSample(TaskParameterSharing sharing)
    {
        // Three tasks, two sub-environments each, and an action box that is not [−1, 1], so the rescaling shows.
        const int tasks = 3, perTask = 2, rows = tasks * perTask, observationSize = 4, actionSize = 2;
        var box = new Box([-2f, 0f], [2f, 1f], [actionSize]);
        var options = new QmpOptions { HiddenSizes = [16, 16], Sharing = sharing };
        var model = new MultiTaskSacModel(observationSize, box, tasks, options, new RandomGenerator(5));
        var assignment = new TaskAssignment(["a", "b", "c"], perTask);
        var recorder = new RecordingMixer(new QSwitchMixer());
        var behavior = new MixtureBehavior(options, recorder, assignment);
        var observations = Tensor.RandomNormal(new RandomGenerator(6), [rows, observationSize]);
        var actions = new float[rows * actionSize];
        using (TensorScope.Begin())
        using (Autograd.GradMode.NoGrad())
            behavior.Act(model, observations, assignment, iteration: 0, actions, new RandomGenerator(7));

        for (int r = 0; r < rows; r++)
        {
            int task = assignment.TaskOf(r);
            var state = Tensor.FromSpan(observations.AsReadOnlySpan().Slice(r * observationSize, observationSize), 1, observationSize);
            for (int j = 0; j < tasks; j++)
            {
                // ā_j = tanh(μ_j(s)) rescaled to the box, from policy j alone.
                var mu = model.Gaussian(model.Actor.ForwardTask(j, state)).Mean.ToArray();
                float[] expectedMean = [.. mu.Select((m, d) => box.Low[d] + (MathF.Tanh(m) + 1f) / 2f * (box.High[d] - box.Low[d]))];
                var meanAction = recorder.MeanActions.AsSpan((j * rows + r) * actionSize, actionSize).ToArray();
                Assert.That(meanAction, Is.EqualTo(expectedMean).Within(1e-5f), $"row {r}, mean action of policy {j}");

                // Score (r, j) = Q1 of row r's task at (s_r, ā_j).
                var input = Tensor.FromArray([.. state.ToArray(), .. meanAction], 1, observationSize + actionSize);
                float expectedScore = model.Q1.ForwardTask(task, input).Item();
                Assert.That(recorder.Scores[r * tasks + j], Is.EqualTo(expectedScore).Within(1e-4f), $"row {r}, score of policy {j}");
            }
            int best = Enumerable.Range(0, tasks).MaxBy(j => recorder.Scores[r * tasks + j]);
            Assert.That(recorder.Chosen[r], Is.EqualTo(best), $"row {r}");
            Assert.That(actions.AsSpan(r * actionSize, actionSize).ToArray(),
                        Is.EqualTo(recorder.SampledActions.AsSpan((best * rows + r) * actionSize, actionSize).ToArray()), $"row {r} executes the chosen policy's sample");
        }
    }

    [Test]
    public void AMixerChoosingAPolicyOutOfRangeIsAnError()
    {
        var options = new QmpOptions { HiddenSizes = [4] };
        var model = new MultiTaskSacModel(2, new Box(-1f, 1f, 1), 2, options, new RandomGenerator(1));
        var assignment = new TaskAssignment(["a", "b"], 1);
        var behavior = new MixtureBehavior(options, new ConstantMixer(2), assignment);
        using var scope = TensorScope.Begin();
        var error = Assert.Throws<InvalidOperationException>(() =>
            behavior.Act(model, Tensor.Zeros(2, 2), assignment, 0, new float[2], new RandomGenerator(1)));
        Assert.That(error!.Message, Does.Contain("ConstantMixer").And.Contain("[0, 1]"));
    }

    /// <summary>Always picks <paramref name="policy"/>.</summary>
    private sealed class ConstantMixer(int policy) : IBehaviorMixer
    {
        public void Choose(BehaviorMixingContext context, Span<int> policies) => policies.Fill(policy);
    }

    [Test]
    public void AContextWithMismatchedShapesOrTasksIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new BehaviorMixingContext([0, 1], Tensor.Zeros(2, 1), Tensor.Zeros(2, 3, 1), Tensor.Zeros(2, 3, 1),
                                                                         () => [], new QmpOptions(), new RandomGenerator(1)));
        var error = Assert.Throws<ArgumentException>(() => new BehaviorMixingContext([0, 2], Tensor.Zeros(2, 1), Tensor.Zeros(2, 2, 1), Tensor.Zeros(2, 2, 1),
                                                                                     () => [], new QmpOptions(), new RandomGenerator(1)));
        Assert.That(error!.Message, Does.Contain("[0, 1]"));
    }
}
