using RLKit.Data;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Data;

[TestFixture]
public sealed class ActionObservationSetTests
{
    /// <summary>Three actions with 2, 1 and 3 observations of 2 steps × 3 features; value = its flat index.</summary>
    private static ActionObservationSet Ragged(out float[] data)
    {
        data = [.. Enumerable.Range(0, 6 * 6).Select(i => (float)i)];
        return new ActionObservationSet([2, 1, 3], steps: 2, features: 3, data);
    }

    [Test]
    public void SizesAndOffsetsFollowTheCounts()
    {
        var set = Ragged(out _);
        Assert.That((set.ActionCount, set.Steps, set.Features, set.ObservationSize, set.TotalObservations), Is.EqualTo((3, 2, 3, 6, 6)));
        Assert.That(Enumerable.Range(0, 3).Select(set.ObservationCount), Is.EqualTo(new[] { 2, 1, 3 }));
        Assert.That(Enumerable.Range(0, 3).Select(set.Offset), Is.EqualTo(new[] { 0, 2, 3 }));
        Assert.That(set.ToString(), Does.Contain("3 actions").And.Contain("6 observations"));
    }

    [Test]
    public void ObservationsAreSlicesOfTheActionMajorData()
    {
        var set = Ragged(out var data);
        Assert.That(set.Observations(0).ToArray(), Is.EqualTo(data[..12]));
        Assert.That(set.Observations(1).ToArray(), Is.EqualTo(data[12..18]));
        Assert.That(set.Observations(2).ToArray(), Is.EqualTo(data[18..36]));
        Assert.That(set.Observation(0, 1).ToArray(), Is.EqualTo(data[6..12]));
        Assert.That(set.Observation(1, 0).ToArray(), Is.EqualTo(data[12..18]));
        Assert.That(set.Observation(2, 2).ToArray(), Is.EqualTo(data[30..36]));
        Assert.That(set.Data.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void TheInputIsCopied()
    {
        var set = Ragged(out var data);
        data[0] = 99f;
        Assert.That(set.Observation(0, 0)[0], Is.Zero);
    }

    [Test]
    public void OutOfRangeActionsAndIndicesAreRejected()
    {
        var set = Ragged(out _);
        Assert.That(() => set.Observations(3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("action").And.Message.Contains("[0, 2]"));
        Assert.That(() => set.ObservationCount(-1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("action"));
        Assert.That(() => set.Offset(3), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => set.Observation(1, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("index").And.Message.Contains("0 … 0"));
        Assert.That(() => set.Observation(2, -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("index"));
    }

    [Test]
    public void ConstructorErrorsNameTheProblem()
    {
        Assert.That(() => new ActionObservationSet([], 1, 1, []),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("observationCounts").And.Message.Contains("at least one action"));
        Assert.That(() => new ActionObservationSet([2, 1, 0, 4], 1, 1, new float[7]),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("observationCounts").And.Message.Contains("action 2 has 0 observations"));
        Assert.That(() => new ActionObservationSet([1, -3], 1, 1, new float[1]),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("action 1"));
        Assert.That(() => new ActionObservationSet([1], 0, 1, []), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("steps"));
        Assert.That(() => new ActionObservationSet([1], 1, 0, []), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("features"));
        Assert.That(() => new ActionObservationSet([2, 1], 2, 3, new float[17]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("data").And.Message.Contains("need 18 floats, got 17"));
        var nan = new float[18];
        nan[13] = float.NaN; // observation 2 = action 1's first
        Assert.That(() => new ActionObservationSet([2, 1], 2, 3, nan),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("data").And.Message.Contains("data[13]").And.Message.Contains("action 1"));
        var inf = new float[18];
        inf[5] = float.NegativeInfinity;
        Assert.That(() => new ActionObservationSet([2, 1], 2, 3, inf), Throws.ArgumentException.With.Message.Contains("action 0"));
    }

    [Test]
    public void FromVectorsGivesOneSingleStepObservationPerAction()
    {
        float[] vectors = [1, 2, 3, 4, 5, 6, 7, 8];
        var set = ActionObservationSet.FromVectors(vectors, features: 2);
        Assert.That((set.ActionCount, set.Steps, set.Features, set.TotalObservations), Is.EqualTo((4, 1, 2, 4)));
        Assert.That(Enumerable.Range(0, 4).Select(set.ObservationCount), Is.All.EqualTo(1));
        Assert.That(set.Observation(2, 0).ToArray(), Is.EqualTo(new[] { 5f, 6f }));
        Assert.That(set.Observations(3).ToArray(), Is.EqualTo(new[] { 7f, 8f }));

        Assert.That(() => ActionObservationSet.FromVectors([], 2), Throws.ArgumentException.With.Property("ParamName").EqualTo("vectors"));
        Assert.That(() => ActionObservationSet.FromVectors([1, 2, 3], 2), Throws.ArgumentException.With.Property("ParamName").EqualTo("vectors").And.Message.Contains("multiple of features = 2"));
        Assert.That(() => ActionObservationSet.FromVectors([1, 2], 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("features"));
        Assert.That(() => ActionObservationSet.FromVectors([1, float.NaN], 1), Throws.ArgumentException.With.Message.Contains("action 1"));
    }

    [Test]
    public void SaveAndLoadRoundTrip()
    {
        using var directory = new TemporaryDirectory("rlkit-aos");
        var set = Ragged(out var data);
        string path = directory.File("observations.safetensors");
        set.Save(path);
        var back = ActionObservationSet.Load(path);
        Assert.That((back.ActionCount, back.Steps, back.Features), Is.EqualTo((3, 2, 3)));
        Assert.That(Enumerable.Range(0, 3).Select(back.ObservationCount), Is.EqualTo(new[] { 2, 1, 3 }));
        Assert.That(back.Data.ToArray(), Is.EqualTo(data));
        Assert.That(Directory.GetFiles(directory.FullPath), Has.Length.EqualTo(1)); // no temporary file left behind

        var vectors = ActionObservationSet.FromVectors([0.5f, -1f, 2f, 3f], 2);
        vectors.Save(path); // overwrites
        var vectorsBack = ActionObservationSet.Load(path);
        Assert.That((vectorsBack.ActionCount, vectorsBack.Steps, vectorsBack.Features), Is.EqualTo((2, 1, 2)));
        Assert.That(vectorsBack.Data.ToArray(), Is.EqualTo(new[] { 0.5f, -1f, 2f, 3f }));
    }

    [Test]
    public void AFileThatIsNotASetIsRejected()
    {
        using var directory = new TemporaryDirectory("rlkit-aos");
        Assert.That(() => ActionObservationSet.Load(directory.File("missing.safetensors")), Throws.InstanceOf<FileNotFoundException>());

        string other = directory.File("weights.safetensors");
        SafeTensors.Save(other, new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray([1f, 2f], 2) });
        Assert.That(() => ActionObservationSet.Load(other), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("does not hold an action observation set"));

        // Counts that do not match the data: 2 + 2 observations claimed, 3 stored.
        string inconsistent = directory.File("inconsistent.safetensors");
        SafeTensors.Save(inconsistent, new Dictionary<string, Tensor>
        {
            ["observations"] = Tensor.FromArray(new float[3 * 2 * 2], 3, 2, 2),
            ["counts"] = Tensor.FromArray([2f, 2f], 2),
        });
        Assert.That(() => ActionObservationSet.Load(inconsistent), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("inconsistent"));

        // An action with no observations.
        string empty = directory.File("empty-action.safetensors");
        SafeTensors.Save(empty, new Dictionary<string, Tensor>
        {
            ["observations"] = Tensor.FromArray(new float[4], 2, 1, 2),
            ["counts"] = Tensor.FromArray([2f, 0f], 2),
        });
        Assert.That(() => ActionObservationSet.Load(empty), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("action 1"));

        // A truncated file.
        string truncated = directory.File("truncated.safetensors");
        Ragged(out _).Save(truncated);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 10)]);
        Assert.That(() => ActionObservationSet.Load(truncated), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("truncated"));

        // A count that is not a whole number.
        string fractional = directory.File("fractional.safetensors");
        SafeTensors.Save(fractional, new Dictionary<string, Tensor>
        {
            ["observations"] = Tensor.FromArray(new float[4], 2, 1, 2),
            ["counts"] = Tensor.FromArray([1.5f, 0.5f], 2),
        });
        Assert.That(() => ActionObservationSet.Load(fractional), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("1.5"));
    }
}
