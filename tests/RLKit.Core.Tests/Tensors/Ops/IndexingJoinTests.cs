using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

public class IndexingJoinTests
{
    private static Tensor RandomMask(RandomGenerator rng, params int[] shape)
    {
        var mask = Tensor.Zeros(shape);
        var span = mask.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = rng.NextDouble() < 0.5 ? 1f : 0f;
        return mask;
    }

    // ---------------------------------------------------------------- narrow / slice

    [TestCase(new[] { 5 }, 0, 1, 3)]
    [TestCase(new[] { 3, 4, 2 }, 1, 1, 2)]
    [TestCase(new[] { 1, 7 }, -1, 0, 7)]
    [TestCase(new[] { 2, 3 }, 0, 1, 1)]
    [TestCase(new[] { 3, 1, 5 }, 2, 4, 1)]
    public void NarrowGradient(int[] shape, int axis, int start, int length)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(x => x[0].Narrow(axis, start, length), [GradCheck.Input(rng, shape)]);
    }

    [Test]
    public void NarrowCopiesTheRange()
    {
        var x = Tensor.Arange(0, 12).Reshape(3, 4);
        var y = x.Narrow(1, 1, 2);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 1f, 2f, 5f, 6f, 9f, 10f }));
        x.AsSpan()[1] = 100f;
        Assert.That(y.ToArray()[0], Is.EqualTo(1f), "narrow must copy, not alias");
    }

    [Test]
    public void NarrowGradientIsZeroOutsideTheRange()
    {
        var x = Tensor.Ones(2, 4);
        x.RequiresGrad = true;
        x.Narrow(1, 2, 2).Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f }));
    }

    [Test]
    public void SliceAcceptsNegativeBounds()
    {
        var x = Tensor.Arange(0, 6);
        Assert.That(x.Slice(0, -4, -1).ToArray(), Is.EqualTo(new[] { 2f, 3f, 4f }));
        Assert.That(x.Slice(0, 1, 6).ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f }));
        Assert.That(x.Slice(0, 3, 3).Size, Is.EqualTo(0));
    }

    [Test]
    public void SliceGradient()
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(x => x[0].Slice(1, -3, -1), [GradCheck.Input(rng, [2, 5, 3])]);
    }

    [Test]
    public void NarrowOutOfRangeNamesOpArgumentAndRange()
    {
        var x = Tensor.Zeros(2, 4);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 3, 2));
        Assert.That(ex!.ParamName, Is.EqualTo("length"));
        Assert.That(ex.Message, Does.Contain("narrow").And.Contain("[2, 4]").And.Contain("[0, 1]"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 5, 0));
        Assert.That(ex!.ParamName, Is.EqualTo("start"));
        Assert.That(ex.Message, Does.Contain("narrow").And.Contain("start 5"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, 1, 0));
        Assert.That(ex!.Message, Does.Contain("slice").And.Contain("end 0"));
    }

    // ---------------------------------------------------------------- index_select

    [TestCase(new[] { 4, 3 }, 0, new[] { 2, 0, 2, 2 })]
    [TestCase(new[] { 2, 5, 3 }, 1, new[] { 4, 4, 1 })]
    [TestCase(new[] { 1 }, 0, new[] { 0, 0, 0 })]
    [TestCase(new[] { 3, 1, 2 }, -1, new[] { 1 })]
    public void IndexSelectGradientWithRepeatedIndices(int[] shape, int axis, int[] indices)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(x => x[0].IndexSelect(axis, indices), [GradCheck.Input(rng, shape)]);
    }

    [Test]
    public void IndexSelectValuesAndAccumulatedGradient()
    {
        var x = Tensor.Arange(0, 6).Reshape(3, 2);
        x.RequiresGrad = true;
        var y = x.IndexSelect(0, [2, 0, 2]);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 4f, 5f, 0f, 1f, 4f, 5f }));
        y.Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 1f, 0f, 0f, 2f, 2f }));
    }

    [Test]
    public void IndexSelectBadIndexNamesOpIndexAndRange()
    {
        var x = Tensor.Zeros(4, 2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, [1, 5]));
        Assert.That(ex!.ParamName, Is.EqualTo("indices"));
        Assert.That(ex.Message, Does.Contain("index_select").And.Contain("indices[1] = 5").And.Contain("0..3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, [-1]));
    }

    // ---------------------------------------------------------------- gather

    [Test]
    public void GatherPicksTheTakenActionPerRow()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var y = logits.Gather(1, [2, 0]);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 3f, 4f }));
    }

    [Test]
    public void GatherAlongAxisZeroAndMiddle()
    {
        var x = Tensor.Arange(0, 6).Reshape(2, 3); // [[0,1,2],[3,4,5]]
        Assert.That(x.Gather(0, [1, 0, 1]).ToArray(), Is.EqualTo(new[] { 3f, 1f, 5f }));
        var z = Tensor.Arange(0, 12).Reshape(2, 3, 2);
        // index shape [2, 1, 2]: out[o, 0, i] = z[o, index[o, 0, i], i]
        var g = z.Gather(1, [2, 0, 1, 1]);
        Assert.That(g.ShapeArray(), Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(g.ToArray(), Is.EqualTo(new[] { 4f, 1f, 8f, 9f }));
    }

    [TestCase(new[] { 4, 5 }, 1, 1)]
    [TestCase(new[] { 3, 4 }, 1, 3)]
    [TestCase(new[] { 3, 4 }, 0, 2)]
    [TestCase(new[] { 2, 3, 3 }, 1, 4)]
    [TestCase(new[] { 1, 1 }, -1, 2)]
    public void GatherGradientWithRepeats(int[] shape, int axis, int count)
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, shape);
        int a = axis < 0 ? axis + shape.Length : axis;
        int others = x.Size / shape[a];
        var index = new int[others * count];
        for (int i = 0; i < index.Length; i++) index[i] = rng.NextInt(shape[a]);
        GradCheck.Check(t => t[0].Gather(axis, index), [x]);
    }

    [Test]
    public void GatherBadIndexAndLengthAreClearErrors()
    {
        var x = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, [0, 3]));
        Assert.That(ex!.Message, Does.Contain("gather").And.Contain("index[1] = 3").And.Contain("0..2"));
        var bad = Assert.Throws<ArgumentException>(() => x.Gather(1, [0, 1, 2]));
        Assert.That(bad!.Message, Does.Contain("gather").And.Contain("[2, 3]").And.Contain("multiple of 2"));
    }

    // ---------------------------------------------------------------- scatter_add

    [Test]
    public void ScatterAddAccumulatesRepeatedIndices()
    {
        var x = Tensor.Zeros(2, 3);
        var src = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var y = x.ScatterAdd(1, [0, 0, 2, 1], src);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 3f, 0f, 0f, 0f, 4f, 3f }));
        Assert.That(x.ToArray(), Is.All.EqualTo(0f), "scatter_add is out of place");
    }

    [TestCase(new[] { 3, 4 }, 1, 5)]
    [TestCase(new[] { 3, 4 }, 0, 6)]
    [TestCase(new[] { 2, 3, 2 }, 1, 4)]
    [TestCase(new[] { 1 }, 0, 3)]
    public void ScatterAddGradientInBothInputs(int[] shape, int axis, int count)
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, shape);
        var sourceShape = (int[])shape.Clone();
        sourceShape[axis] = count;
        var source = GradCheck.Input(rng, sourceShape);
        var index = new int[source.Size];
        for (int i = 0; i < index.Length; i++) index[i] = rng.NextInt(shape[axis]);
        // Square the output so the gradient of x depends on where the source landed.
        GradCheck.Check(t => t[0].ScatterAdd(axis, index, t[1]).Square(), [x, source]);
    }

    [Test]
    public void ScatterAddShapeErrorNamesBothShapes()
    {
        var x = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => x.ScatterAdd(1, [0, 0, 0, 0, 0, 0], Tensor.Zeros(3, 2)));
        Assert.That(ex!.Message, Does.Contain("scatter_add").And.Contain("[3, 2]").And.Contain("[2, 3]"));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => x.ScatterAdd(1, [0, 7], Tensor.Zeros(2, 1)));
        Assert.That(range!.Message, Does.Contain("index[1] = 7").And.Contain("0..2"));
    }

    // ---------------------------------------------------------------- where / masked_fill

    [Test]
    public void WhereSelectsWithBroadcasting()
    {
        var condition = Tensor.FromArray([1f, 0f], 2, 1);
        var a = Tensor.FromArray([1f, 2f, 3f]);
        var b = Tensor.Scalar(-1f);
        var y = Tensor.Where(condition, a, b);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, -1f, -1f, -1f }));
    }

    [TestCase(new[] { 3, 4 }, new[] { 3, 4 }, new[] { 3, 4 })]
    [TestCase(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [TestCase(new int[0], new[] { 2, 3 }, new[] { 3 })]
    [TestCase(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 1, 1 })]
    [TestCase(new[] { 5 }, new[] { 1 }, new[] { 2, 5 })]
    public void WhereGradientWithBroadcasting(int[] conditionShape, int[] aShape, int[] bShape)
    {
        var rng = GradCheck.TestRng();
        var condition = RandomMask(rng, conditionShape);
        GradCheck.Check(t => Tensor.Where(condition, t[0], t[1]), [GradCheck.Input(rng, aShape), GradCheck.Input(rng, bShape)]);
    }

    [Test]
    public void WhereGradientGoesOnlyToTheChosenSide()
    {
        var a = Tensor.Ones(3);
        var b = Tensor.Ones(3);
        a.RequiresGrad = b.RequiresGrad = true;
        Tensor.Where(Tensor.FromArray([1f, 0f, 1f]), a, b).Sum().Backward();
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 0f, 1f }));
        Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 1f, 0f }));
    }

    [Test]
    public void WhereBadShapesNameAllThree()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Zeros(2), Tensor.Zeros(3), Tensor.Zeros(3)));
        Assert.That(ex!.Message, Does.Contain("where").And.Contain("[2]").And.Contain("[3]"));
    }

    [Test]
    public void MaskedFillValuesAndGradient()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var y = x.MaskedFill(Tensor.FromArray([0f, 1f]), float.NegativeInfinity);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 1f, float.NegativeInfinity, 3f, float.NegativeInfinity }));

        var rng = GradCheck.TestRng();
        var mask = RandomMask(rng, 3, 1);
        GradCheck.Check(t => t[0].MaskedFill(mask, 0.5f), [GradCheck.Input(rng, [3, 4])]);
    }

    [Test]
    public void MaskedFillRejectsAMaskThatWouldGrowTheTensor()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).MaskedFill(Tensor.Zeros(2, 3), 0f));
        Assert.That(ex!.Message, Does.Contain("masked_fill").And.Contain("[2, 3]").And.Contain("[3]"));
    }

    // ---------------------------------------------------------------- concat / stack / split / chunk

    [Test]
    public void ConcatValues()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var b = Tensor.FromArray([5f, 6f], 2, 1);
        Assert.That(Tensor.Concat([a, b], 1).ToArray(), Is.EqualTo(new[] { 1f, 2f, 5f, 3f, 4f, 6f }));
        Assert.That(Tensor.Concat([a, b.Reshape(1, 2)], 0).ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
    }

    [TestCase(1, new[] { 2, 3 }, new[] { 2, 1 }, new[] { 2, 4 })]
    [TestCase(0, new[] { 1, 3 }, new[] { 4, 3 }, new[] { 2, 3 })]
    [TestCase(-1, new[] { 2, 1, 3 }, new[] { 2, 1, 1 }, new[] { 2, 1, 5 })]
    [TestCase(1, new[] { 3, 2, 2 }, new[] { 3, 5, 2 }, new[] { 3, 1, 2 })]
    public void ConcatGradient(int axis, int[] s0, int[] s1, int[] s2)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => Tensor.Concat(t, axis), [GradCheck.Input(rng, s0), GradCheck.Input(rng, s1), GradCheck.Input(rng, s2)]);
    }

    [Test]
    public void ConcatOfTheSameTensorTwiceAccumulates()
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => Tensor.Concat([t[0], t[1], t[0]], 0).Square(), [GradCheck.Input(rng, [2, 3]), GradCheck.Input(rng, [1, 3])]);
    }

    [Test]
    public void ConcatShapeErrorNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));
        Assert.That(ex!.Message, Does.Contain("concat").And.Contain("[3, 3]").And.Contain("[2, 3]"));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([], 0));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(6)], 0));
    }

    [TestCase(0, new[] { 3, 2, 4 })]
    [TestCase(1, new[] { 2, 3, 4 })]
    [TestCase(-1, new[] { 2, 4, 3 })]
    public void StackShapeAndGradient(int axis, int[] expected)
    {
        var rng = GradCheck.TestRng();
        var inputs = new[] { GradCheck.Input(rng, [2, 4]), GradCheck.Input(rng, [2, 4]), GradCheck.Input(rng, [2, 4]) };
        var y = Tensor.Stack(inputs, axis);
        Assert.That(y.ShapeArray(), Is.EqualTo(expected));
        Assert.That(y.Narrow(axis, 1, 1).ToArray(), Is.EqualTo(inputs[1].ToArray()));
        GradCheck.Check(t => Tensor.Stack(t, axis), inputs);
    }

    [Test]
    public void StackShapeErrorNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Stack([Tensor.Zeros(2), Tensor.Zeros(2), Tensor.Zeros(3)], 0));
        Assert.That(ex!.Message, Does.Contain("stack").And.Contain("tensor 2").And.Contain("[3]").And.Contain("[2]"));
    }

    [Test]
    public void SplitPiecesAndGradient()
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, [3, 7]);
        var pieces = x.Split([2, 0, 5], 1);
        Assert.That(pieces.Select(p => p.Dim(1)), Is.EqualTo(new[] { 2, 0, 5 }));
        Assert.That(pieces[2].ToArray(), Is.EqualTo(x.Narrow(1, 2, 5).ToArray()));
        // Weight each piece differently so a gradient routed to the wrong piece shows.
        GradCheck.Check(t => Tensor.Concat(t[0].Split([2, 0, 5], 1).Select((p, i) => p * (i + 1f)).ToArray(), 1), [x]);
    }

    [Test]
    public void SplitSizesMustAddUp()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 5).Split([2, 2], 1));
        Assert.That(ex!.Message, Does.Contain("split").And.Contain("[2, 2]").And.Contain("[2, 5]"));
    }

    [TestCase(6, 4, new[] { 2, 2, 2 })]
    [TestCase(5, 3, new[] { 2, 2, 1 })]
    [TestCase(3, 5, new[] { 1, 1, 1 })]
    [TestCase(1, 1, new[] { 1 })]
    public void ChunkSizesFollowPyTorch(int length, int count, int[] expected)
    {
        var chunks = Tensor.Zeros(2, length).Chunk(count, -1);
        Assert.That(chunks.Select(c => c.Dim(1)), Is.EqualTo(expected));
    }

    [Test]
    public void ChunkGradient()
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => Tensor.Concat(t[0].Chunk(3, 0).Select((p, i) => p * (i - 1.5f)).ToArray(), 0), [GradCheck.Input(rng, [5, 2])]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(3).Chunk(0, 0));
    }
}
