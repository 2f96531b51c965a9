using FsCheck;
using FsCheck.Fluent;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

/// <summary>Property tests: broadcasting agrees with an explicit element-by-element reference.</summary>
public class BroadcastingPropertyTests
{
    /// <summary>A pair of shapes that broadcast together, built by dropping or shrinking dims of a common shape.</summary>
    private static Gen<(int[] A, int[] B)> CompatibleShapes() =>
        from rank in Gen.Choose(1, 4)
        from full in Gen.ArrayOf(Gen.Choose(1, 4), rank)
        from maskA in Gen.ArrayOf(Gen.Elements(true, false), rank)
        from maskB in Gen.ArrayOf(Gen.Elements(true, false), rank)
        from dropA in Gen.Choose(0, rank - 1)
        from dropB in Gen.Choose(0, rank - 1)
        select (Shrink(full, maskA, dropA), Shrink(full, maskB, dropB));

    private static int[] Shrink(int[] full, bool[] toOne, int dropLeading) =>
        full.Select((d, i) => toOne[i] ? 1 : d).Skip(dropLeading).ToArray();

    [Test]
    public void BroadcastAddAndMulMatchReference()
    {
        Prop.ForAll(CompatibleShapes().ToArbitrary(), pair =>
        {
            var rng = new RandomGenerator(pair.A.Sum() * 31 + pair.B.Sum());
            var a = Tensor.RandomUniform(rng, pair.A, -1, 1);
            var b = Tensor.RandomUniform(rng, pair.B, -1, 1);
            var sum = a + b;
            var product = a * b;
            var shape = sum.ShapeArray();
            int rank = shape.Length;
            bool ok = shape.Length == Math.Max(pair.A.Length, pair.B.Length);
            var index = new int[rank];
            for (int flat = 0; flat < sum.Size && ok; flat++)
            {
                int rem = flat;
                for (int d = rank - 1; d >= 0; d--) { index[d] = rem % shape[d]; rem /= shape[d]; }
                float av = a.AsReadOnlySpan()[Offset(index, pair.A)], bv = b.AsReadOnlySpan()[Offset(index, pair.B)];
                ok = sum.AsReadOnlySpan()[flat] == av + bv && product.AsReadOnlySpan()[flat] == av * bv;
            }
            return ok;
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void GradientOfBroadcastSumCountsRepetitions()
    {
        Prop.ForAll(CompatibleShapes().ToArbitrary(), pair =>
        {
            var a = Tensor.Ones(pair.A);
            a.RequiresGrad = true;
            var b = Tensor.Ones(pair.B);
            (a + b).Sum().Backward();
            int outSize = (a + b).Size;
            // Every element of a is used outSize / a.Size times.
            return a.Grad!.ToArray().All(g => g == outSize / a.Size);
        }).QuickCheckThrowOnFailure();
    }

    private static int Offset(int[] outIndex, int[] shape)
    {
        int offset = 0, lead = outIndex.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
            offset = offset * shape[d] + (shape[d] == 1 ? 0 : outIndex[lead + d]);
        return offset;
    }
}
