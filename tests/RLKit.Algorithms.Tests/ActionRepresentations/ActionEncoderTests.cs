using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Hosting;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRepresentations;

public class ActionEncoderTests
{
    private static readonly string[] Names = ["hvae", "vae", "given"];
    private static readonly string[] VaeNames = ["hvae", "vae"];

    private static IActionEncoder Create(string name, int steps = 4, int features = 2, int epochs = 1, int seed = 1) =>
        ActionEncoders.Create(name, steps, features, ActionEncoderTestData.Small(epochs), new RandomGenerator(seed));

    [Test]
    public void TheRegistryHasTheThreeEncodersUnderTheirNames()
    {
        Assert.That(ActionEncoders.All.Keys, Is.EquivalentTo(Names));
        Assert.That(ActionEncoders.Names, Is.EqualTo(Names));
        foreach (var name in Names) Assert.That(Create(name).Name, Is.EqualTo(name));
    }

    [Test]
    public void RepresentationSizesFollowTheOptionsOrTheObservationShape()
    {
        Assert.That(Create("hvae").RepresentationSize, Is.EqualTo(4));
        Assert.That(Create("vae").RepresentationSize, Is.EqualTo(4), "the flat VAE's z is the representation");
        Assert.That(Create("given", steps: 4, features: 2).RepresentationSize, Is.EqualTo(8));
    }

    [Test]
    public void KeyedFactoriesResolveFromTheContainer()
    {
        using var provider = new ServiceCollection().AddRLKit(b => b.AddClassicAlgorithms()).Services.BuildServiceProvider();
        foreach (var name in Names)
        {
            var encoder = provider.GetRequiredKeyedService<ActionEncoderFactory>(name)(3, 2, ActionEncoderTestData.Small(), new RandomGenerator(1));
            Assert.That(encoder.Name, Is.EqualTo(name));
        }
        Assert.That(provider.GetKeyedService<ActionEncoderFactory>("nope"), Is.Null);
    }

    [Test]
    public void AnUnknownNameListsTheKnownOnes()
    {
        Assert.That(() => ActionEncoders.Create("hvea", 3, 2, new ActionEncoderOptions(), new RandomGenerator(1)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("name").And.Message.Contains("'hvea'").And.Message.Contains("hvae, vae, given"));
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    [TestCase("given")]
    public void InvalidOptionsAndShapesAreRefusedAtCreation(string name)
    {
        Assert.That(() => ActionEncoders.Create(name, 3, 2, new ActionEncoderOptions { HiddenSize = 0 }, new RandomGenerator(1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("HiddenSize"));
        Assert.That(() => ActionEncoders.Create(name, 0, 2, new ActionEncoderOptions(), new RandomGenerator(1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("steps"));
        Assert.That(() => ActionEncoders.Create(name, 3, 0, new ActionEncoderOptions(), new RandomGenerator(1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("features"));
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    [TestCase("given")]
    public void ObservationsOfTheWrongShapeAreRefused(string name)
    {
        var encoder = Create(name, steps: 4, features: 2);
        var wrongSteps = ActionEncoderTestData.Random([2, 2], 5, 2, seed: 1);
        var wrongFeatures = ActionEncoderTestData.Random([2, 2], 4, 3, seed: 1);
        foreach (var set in new[] { wrongSteps, wrongFeatures })
        {
            Assert.That(() => encoder.Fit(set, [0, 1]), Throws.ArgumentException.With.Property("ParamName").EqualTo("observations")
                .And.Message.Contains($"{set.Steps} steps × {set.Features} features").And.Message.Contains("built for 4 × 2"));
            Assert.That(() => encoder.Infer(set, [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("observations"));
        }
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    [TestCase("given")]
    public void ActionIdsOutOfRangeAndAnEmptyTrainingListAreRefused(string name)
    {
        var encoder = Create(name);
        var set = ActionEncoderTestData.Random([2, 3, 1], 4, 2, seed: 2);
        Assert.That(() => encoder.Infer(set, [0, 3]), Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property("ParamName").EqualTo("actions").And.Message.Contains("actions[1] = 3").And.Message.Contains("[0, 2]"));
        Assert.That(() => encoder.Fit(set, [-1]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("trainingActions"));
        Assert.That(() => encoder.Fit(set, []), Throws.ArgumentException.With.Property("ParamName").EqualTo("trainingActions").And.Message.Contains("empty"));
        Assert.That(encoder.Infer(set, []), Is.Empty);
    }

    [Test]
    public void AnActionWithoutObservationsIsRefusedByTheSetNamingTheAction()
    {
        Assert.That(() => new ActionObservationSet([2, 0, 1], 4, 2, new float[3 * 8]),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("action 1 has 0 observations"));
    }

    [TestCase("hvae", 4)]
    [TestCase("hvae", 1)]
    [TestCase("vae", 4)]
    [TestCase("vae", 1)]
    [TestCase("given", 4)]
    public void InferIsTheSameWhateverOrderTheObservationsComeIn(string name, int steps)
    {
        var set = ActionEncoderTestData.Random([3, 7, 2, 5], steps, 2, seed: 3);
        var encoder = Create(name, steps: steps, epochs: 2);
        encoder.Fit(set, [0, 1, 2]); // the batch norm's running statistics move away from their start
        int[] actions = [0, 1, 2, 3];
        var expected = encoder.Infer(set, actions);
        var permuted = ActionEncoderTestData.Permute(set, 1, [4, 0, 6, 2, 5, 3, 1]);
        permuted = ActionEncoderTestData.Permute(permuted, 3, [4, 3, 2, 1, 0]);
        Assert.That(permuted.Data.ToArray(), Is.Not.EqualTo(set.Data.ToArray()), "the permutation must change the data layout");
        Assert.That(encoder.Infer(permuted, actions), Is.EqualTo(expected), "bit-identical after permuting observations");
        Assert.That(expected.Length, Is.EqualTo(4 * encoder.RepresentationSize));
        Assert.That(expected, Has.All.Matches<float>(float.IsFinite));
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    public void InferIsDeterministicAndPerAction(string name)
    {
        var set = ActionEncoderTestData.Random([3, 4, 2], 4, 2, seed: 4);
        var encoder = Create(name);
        var all = encoder.Infer(set, [0, 1, 2]);
        Assert.That(encoder.Infer(set, [0, 1, 2]), Is.EqualTo(all));
        var alone = encoder.Infer(set, [2, 1]);
        int r = encoder.RepresentationSize;
        Assert.That(alone.AsSpan(0, r).ToArray(), Is.EqualTo(all.AsSpan(2 * r, r).ToArray()).Within(1e-6f), "other actions in the call do not matter");
        Assert.That(alone.AsSpan(0, r).ToArray(), Is.Not.EqualTo(all.AsSpan(0, r).ToArray()));
    }

    [Test]
    public void GivenIsTheMeanOfTheObservations()
    {
        var set = new ActionObservationSet([2, 1], 2, 1, [1f, 2f, 3f, 6f, 5f, 7f]);
        var encoder = Create("given", steps: 2, features: 1);
        Assert.That(encoder.Fit(set, [0]), Is.Empty);
        Assert.That(encoder.Infer(set, [1, 0]), Is.EqualTo(new[] { 5f, 7f, 2f, 4f }));
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    public void InferUsesAllObservationsEvenBeyondOneChunk(string name)
    {
        int many = VaeActionEncoder.InferenceChunk + 37;
        var set = ActionEncoderTestData.Random([3, many, 2], 1, 2, seed: 6);
        var encoder = (VaeActionEncoder)Create(name, steps: 1);
        var inferred = encoder.Infer(set, [1, 0]);
        using var noGrad = GradMode.NoGrad();
        var perObservation = encoder.PerObservation(Tensor.FromSpan(set.Observations(1), many, 1, 2));
        var expected = encoder.PerAction(perObservation.Mean(0, keepDim: true)).ToArray();
        Assert.That(inferred.AsSpan(0, encoder.RepresentationSize).ToArray(), Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void BatchesSampleWithoutReplacementAndMaskThePadding()
    {
        var set = new ActionObservationSet([6, 2], 1, 1, [0f, 1f, 2f, 3f, 4f, 5f, 10f, 11f]);
        var batch = ObservationBatch.Sample(set, [0, 1], 4, new RandomGenerator(8));
        Assert.That(batch.Observations.ShapeArray(), Is.EqualTo(new[] { 8, 1, 1 }));
        var values = batch.Observations.ToArray();
        Assert.That(values[..4].Distinct().Count(), Is.EqualTo(4));
        Assert.That(values[..4], Has.All.InRange(0f, 5f));
        Assert.That(values[4..], Is.EquivalentTo(new[] { 10f, 11f, 0f, 0f }));
        Assert.That(batch.Mask.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f, 1f, 1f, 1f, 0f, 0f }));
        Assert.That(batch.InverseCounts.ToArray(), Is.EqualTo(new[] { 0.25f, 0.5f }));
    }

    [Test]
    public void TheLossIsTheReconstructionPlusTheWeightedKlTerms()
    {
        var set = ActionEncoderTestData.Random([3, 5], 4, 2, seed: 9);
        var batch = ObservationBatch.Sample(set, [0, 1], 4, new RandomGenerator(1));
        var plain = new HierarchicalVae(4, 2, ActionEncoderTestData.Small(), new RandomGenerator(2));
        var weighted = new HierarchicalVae(4, 2, ActionEncoderTestData.Small() with { ActionKlWeight = 2f, ObservationKlWeight = 0.5f }, new RandomGenerator(2));
        var a = plain.Loss(batch, new RandomGenerator(3));
        var b = weighted.Loss(batch, new RandomGenerator(3));
        Assert.That(b.Reconstruction.Item(), Is.EqualTo(a.Reconstruction.Item()));
        Assert.That(a.Loss.Item(), Is.EqualTo(a.Reconstruction.Item() + a.ActionKl.Item() + a.ObservationKl.Item()).Within(1e-4));
        Assert.That(b.Loss.Item(), Is.EqualTo(b.Reconstruction.Item() + 2 * b.ActionKl.Item() + 0.5 * b.ObservationKl.Item()).Within(1e-4));
        Assert.That(a.ActionKl.Item(), Is.GreaterThan(0f));
        Assert.That(a.ObservationKl.Item(), Is.GreaterThan(0f));
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    public void FitIsDeterministicGivenTheRngAndReportsEveryEpoch(string name)
    {
        var set = ActionEncoderTestData.Random([3, 4, 2, 6, 5], 4, 2, seed: 10);
        var reports = new List<ActionEncoderEpoch>();
        var first = Create(name, epochs: 3, seed: 5);
        var epochs = first.Fit(set, [0, 1, 2, 3, 4], new EpochProgress(reports.Add));
        var second = Create(name, epochs: 3, seed: 5);
        Assert.That(second.Fit(set, [0, 1, 2, 3, 4]), Is.EqualTo(epochs));
        Assert.That(second.Infer(set, [0, 4]), Is.EqualTo(first.Infer(set, [0, 4])));
        Assert.That(reports, Is.EqualTo(epochs));
        Assert.That(epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(epochs.All(e => double.IsFinite(e.NegativeElbo) && e.ObservationKl > 0), Is.True);
        Assert.That(epochs.All(e => name == "hvae" ? e.ActionKl > 0 : e.ActionKl == 0), Is.True);
    }

    [TestCase("hvae")]
    [TestCase("vae")]
    public void ACancelledTokenStopsBeforeTheNextBatch(string name)
    {
        var set = ActionEncoderTestData.Random([3, 4, 2, 6, 5], 4, 2, seed: 11);
        var encoder = Create(name, epochs: 5);
        var before = encoder.Infer(set, [0, 1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(encoder.Fit(set, [0, 1, 2], cancellationToken: cancelled.Token), Is.Empty);
        Assert.That(encoder.Infer(set, [0, 1]), Is.EqualTo(before), "no gradient step was taken");

        using var later = new CancellationTokenSource();
        var epochs = encoder.Fit(set, [0, 1, 2, 3, 4], new EpochProgress(e => { if (e.Epoch == 2) later.Cancel(); }), later.Token);
        Assert.That(epochs, Has.Count.EqualTo(2));
    }

    [TestCase("hvae", 4)]
    [TestCase("hvae", 1)]
    [TestCase("vae", 4)]
    [TestCase("given", 4)]
    public void SaveAndLoadGiveTheSameRepresentations(string name, int steps)
    {
        using var directory = new TemporaryDirectory("action-encoder");
        var set = ActionEncoderTestData.Random([3, 4, 2, 6], steps, 2, seed: 12);
        var encoder = Create(name, steps: steps, epochs: 2);
        encoder.Fit(set, [0, 1, 2]);
        string path = directory.File($"{name}.safetensors");
        encoder.Save(path);
        Assert.That(Directory.GetFiles(directory.FullPath), Has.Length.EqualTo(1), "no temporary file is left behind");
        var loaded = ActionEncoders.Load(path);
        Assert.That((loaded.Name, loaded.RepresentationSize), Is.EqualTo((encoder.Name, encoder.RepresentationSize)));
        Assert.That(loaded.Infer(set, [0, 1, 2, 3]), Is.EqualTo(encoder.Infer(set, [0, 1, 2, 3])));
        Assert.That(SafeTensors.Load(path).Metadata[ActionEncoderFile.MetadataKey], Does.Contain($"\"Name\":\"{name}\"").And.Contain("\"Steps\":" + steps));
    }

    [Test]
    public void LoadingSomethingElseGivesAClearError()
    {
        using var directory = new TemporaryDirectory("action-encoder");
        string plain = directory.File("plain.safetensors");
        SafeTensors.Save(plain, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(2) });
        Assert.That(() => ActionEncoders.Load(plain), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not an action encoder"));
        Assert.That(() => ActionEncoders.Load(directory.File("missing.safetensors")), Throws.InstanceOf<FileNotFoundException>());

        // An HVAE file whose weights were written for other sizes.
        string hvae = directory.File("hvae.safetensors");
        Create("hvae").Save(hvae);
        var file = SafeTensors.Load(hvae);
        var tensors = file.Tensors.ToDictionary(p => p.Key, p => p.Value);
        tensors.Remove(tensors.Keys.First());
        SafeTensors.Save(hvae, tensors, file.Metadata);
        Assert.That(() => ActionEncoders.Load(hvae), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Missing keys"));

        SafeTensors.Save(hvae, tensors, new Dictionary<string, string> { [ActionEncoderFile.MetadataKey] = file.Metadata[ActionEncoderFile.MetadataKey].Replace("\"hvae\"", "\"nope\"") });
        Assert.That(() => ActionEncoders.Load(hvae), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("'nope'").And.Message.Contains("hvae, vae, given"));

        SafeTensors.Save(hvae, tensors, new Dictionary<string, string> { [ActionEncoderFile.MetadataKey] = file.Metadata[ActionEncoderFile.MetadataKey].Replace("\"Features\":2", "\"Features\":2000000000") });
        Assert.That(() => ActionEncoders.Load(hvae), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("2000000000 features"));

        SafeTensors.Save(hvae, tensors, new Dictionary<string, string> { [ActionEncoderFile.MetadataKey] = file.Metadata[ActionEncoderFile.MetadataKey].Replace("\"HiddenSize\":8", "\"HiddenSize\":-1") });
        Assert.That(() => ActionEncoders.Load(hvae), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("HiddenSize"));
    }

    [Test]
    public void StandardiseUsesTheReferenceActionsStatisticsForEveryAction()
    {
        // Three actions of two coordinates; actions 0 and 1 are the reference: coordinate 0 has mean 2 and std 1 over
        // them, coordinate 1 does not vary over them (so it becomes 0 everywhere).
        float[] representations = [1f, 5f, 3f, 5f, 6f, 9f];
        ActionEncoders.Standardise(representations, size: 2, referenceActions: [0, 1]);
        Assert.That(representations, Is.EqualTo(new[] { -1f, 0f, 1f, 0f, 4f, 0f }).Within(1e-6f));
        Assert.That(() => ActionEncoders.Standardise(new float[5], 2, [0]), Throws.ArgumentException.With.Message.Contains("whole number"));
        Assert.That(() => ActionEncoders.Standardise(new float[4], 2, []), Throws.ArgumentException.With.Message.Contains("at least one"));
        Assert.That(() => ActionEncoders.Standardise(new float[4], 2, [2]), Throws.ArgumentException.With.Message.Contains("[0, 1]"));
    }
}
