using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>What one <see cref="PcGrad.Backward"/> call did.</summary>
/// <param name="Conflicts">How many ordered pairs (i, j) were projected because gᵢ·gⱼ &lt; 0.</param>
/// <param name="Pairs">How many ordered pairs (i, j ≠ i) were examined.</param>
public readonly record struct PcGradResult(int Conflicts, int Pairs);

/// <summary>
/// Projecting Conflicting Gradients (Yu et al. 2020; Mix &amp; Mask actor-critic, eq. 14) restricted to a
/// chosen subset of parameters, typically those generating shared features.
/// </summary>
/// <remarks>
/// <para>
/// For each scalar loss Lᵢ the gradient gᵢ on the shared subset is computed by its own backward pass
/// (with the graph retained). Each gᵢ is then projected onto the normal plane of every other original
/// gradient gⱼ it conflicts with: if gᵢ·gⱼ &lt; 0, gᵢ ← gᵢ − (gᵢ·gⱼ / |gⱼ|²) gⱼ, visiting the gⱼ in index
/// order, or in a fresh random order per i when a generator is given (as in Yu et al.). The sum of the
/// projected gradients is added to the shared parameters' <see cref="Tensor.Grad"/>.
/// </para>
/// <para>
/// Every other parameter the losses reach receives the plain sum of the losses' gradients, exactly as if
/// the summed loss had been back-propagated. Like <see cref="Tensor.Backward"/>, everything is added to
/// whatever the gradients held before; call <see cref="Optimizer.ZeroGrad"/> first as usual.
/// </para>
/// <para>
/// The projected gradients are summed, as in eq. 14 applied per objective and in Yu et al.'s paper; the Mix &amp; Mask
/// reference code instead averages them on parameters every loss reaches. Scale the losses to get that behaviour.
/// </para>
/// <para>Dot products and norms are accumulated in double in a fixed order, so results are deterministic.</para>
/// </remarks>
public sealed class PcGrad
{
    private readonly Tensor[] _shared;
    private readonly int[] _offsets;
    private readonly int _length;
    private readonly RandomGenerator? _rng;
    private readonly float[] _saved;
    private readonly List<float[]> _gradients = new();
    private readonly List<float[]> _projected = new();
    private int[] _order = [];

    /// <summary>Creates the projector for the given shared parameters.</summary>
    /// <param name="sharedParameters">Leaf tensors requiring gradients on which conflicting gradients are projected.</param>
    /// <param name="rng">When given, the other gradients are visited in a random order for each i; otherwise in index order.</param>
    /// <exception cref="ArgumentException">If the list is empty or holds a non-leaf, a tensor without gradients, or a repeat.</exception>
    public PcGrad(IEnumerable<Tensor> sharedParameters, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(sharedParameters);
        _shared = sharedParameters.ToArray();
        if (_shared.Length == 0) throw new ArgumentException("PcGrad: the shared parameter list is empty.", nameof(sharedParameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        _offsets = new int[_shared.Length];
        for (int i = 0; i < _shared.Length; i++)
        {
            var p = _shared[i] ?? throw new ArgumentException($"PcGrad: shared parameter {i} is null.", nameof(sharedParameters));
            if (!p.IsLeaf || !p.RequiresGrad)
                throw new ArgumentException($"PcGrad: shared parameter {i} (shape {Tensor.ShapeString(p.Shape)}) must be a leaf that requires gradients.", nameof(sharedParameters));
            if (!seen.Add(p)) throw new ArgumentException($"PcGrad: shared parameter {i} appears twice.", nameof(sharedParameters));
            _offsets[i] = _length;
            _length = checked(_length + p.Size);
        }
        _rng = rng;
        _saved = new float[_length];
    }

    /// <summary>The parameters on which gradients are projected.</summary>
    public IReadOnlyList<Tensor> SharedParameters => _shared;

    /// <summary>
    /// Back-propagates every loss, projects the conflicting shared gradients and writes the results into the
    /// gradients (see the class remarks). Losses that do not depend on anything requiring gradients count as zero.
    /// </summary>
    /// <param name="losses">Scalar losses, typically sharing one graph; the graph is freed after the last one.</param>
    /// <exception cref="ArgumentException">If a loss is not a one-element tensor or the list is empty.</exception>
    public PcGradResult Backward(IReadOnlyList<Tensor> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        int count = losses.Count;
        if (count == 0) throw new ArgumentException("PcGrad.Backward: the list of losses is empty.", nameof(losses));
        for (int i = 0; i < count; i++)
        {
            if (losses[i] is null) throw new ArgumentException($"PcGrad.Backward: loss {i} is null.", nameof(losses));
            if (losses[i].Size != 1)
                throw new ArgumentException($"PcGrad.Backward: loss {i} has shape {Tensor.ShapeString(losses[i].Shape)}; each loss must be a scalar.", nameof(losses));
        }
        EnsureBuffers(count);

        // Set the shared gradients aside so each backward pass leaves exactly gᵢ in them.
        for (int p = 0; p < _shared.Length; p++)
        {
            var dst = _saved.AsSpan(_offsets[p], _shared[p].Size);
            if (_shared[p].Grad is { } grad) { grad.AsReadOnlySpan().CopyTo(dst); grad.AsSpan().Clear(); }
            else dst.Clear();
        }

        int last = -1;
        for (int i = 0; i < count; i++) if (losses[i].RequiresGrad) last = i;
        for (int i = 0; i < count; i++)
        {
            var g = _gradients[i];
            if (losses[i].RequiresGrad)
            {
                losses[i].Backward(retainGraph: i != last);
                for (int p = 0; p < _shared.Length; p++)
                {
                    var dst = g.AsSpan(_offsets[p], _shared[p].Size);
                    if (_shared[p].Grad is { } grad) { grad.AsReadOnlySpan().CopyTo(dst); grad.AsSpan().Clear(); }
                    else dst.Clear();
                }
            }
            else Array.Clear(g);
        }

        int conflicts = Project(count);

        for (int p = 0; p < _shared.Length; p++)
        {
            var parameter = _shared[p];
            var grad = parameter.Grad ??= Tensor.AllocatePersistent(parameter.ShapeArray());
            var dst = grad.AsSpan();
            _saved.AsSpan(_offsets[p], parameter.Size).CopyTo(dst);
            for (int i = 0; i < count; i++)
                TensorPrimitives.Add(dst, _projected[i].AsSpan(_offsets[p], parameter.Size), dst);
        }
        return new PcGradResult(conflicts, count * (count - 1));
    }

    /// <summary>Projects each gᵢ against the original gⱼ, writing into the projected buffers; returns the number of projections.</summary>
    private int Project(int count)
    {
        Span<double> squaredNorms = count <= 64 ? stackalloc double[count] : new double[count];
        for (int j = 0; j < count; j++) squaredNorms[j] = Dot(_gradients[j], _gradients[j]);
        int conflicts = 0;
        for (int i = 0; i < count; i++)
        {
            var gi = _projected[i];
            _gradients[i].AsSpan().CopyTo(gi);
            for (int k = 0; k < count; k++) _order[k] = k;
            _rng?.Shuffle(_order.AsSpan(0, count));
            for (int k = 0; k < count; k++)
            {
                int j = _order[k];
                if (j == i || squaredNorms[j] == 0) continue;
                double dot = Dot(gi, _gradients[j]);
                if (dot >= 0) continue;
                TensorPrimitives.FusedMultiplyAdd(_gradients[j], (float)(-dot / squaredNorms[j]), gi, gi);
                conflicts++;
            }
        }
        return conflicts;
    }

    /// <summary>The projected gradient of loss <paramref name="index"/> on the shared subset (flattened) from the last call.</summary>
    internal ReadOnlySpan<float> ProjectedGradient(int index) => _projected[index];

    /// <summary>The original gradient of loss <paramref name="index"/> on the shared subset (flattened) from the last call.</summary>
    internal ReadOnlySpan<float> OriginalGradient(int index) => _gradients[index];

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    private void EnsureBuffers(int count)
    {
        while (_gradients.Count < count)
        {
            _gradients.Add(new float[_length]);
            _projected.Add(new float[_length]);
        }
        if (_order.Length < count) _order = new int[count];
    }
}
