using System.Buffers;
using System.Numerics;
using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Tensors.Gemm;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The continuous space the actors propose in. For a <see cref="Box"/> it is the box itself. For an
/// <see cref="ActionSet"/> (seed 003 §4.3.2, large discrete actions reframed as continuous ones) it is the box spanned by
/// the actions' representations, and every proposal is projected onto the representation of the nearest available
/// action (1-NN, §4.4.5 item 5) before the critic sees it, so Q is only queried at real actions.
/// </summary>
internal sealed class ActionDomain
{
    private ActionDomain(Box box, ActionSet? actions)
    {
        Box = box;
        Actions = actions;
        Rescaler = new ActionRescaler(box);
    }

    /// <summary>The domain of <paramref name="actionSpace"/>.</summary>
    /// <exception cref="ArgumentException">
    /// If the space is neither a bounded one-dimensional Box nor an ActionSet whose actions have representations (a
    /// Discrete space has none to project onto).
    /// </exception>
    public static ActionDomain For(Space actionSpace, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        switch (actionSpace)
        {
            case Box box when box.Shape.Length == 1 && box.IsBounded:
                return new ActionDomain(box, null);
            case ActionSet set when set.RepresentationSize >= 1:
                return new ActionDomain(RepresentationBox(set, parameterName), set);
            case ActionSet set:
                throw new ArgumentException(
                    $"savo: the discrete mode needs an ActionSet whose actions have representations (RepresentationSize ≥ 1); {set.Description} has size {set.RepresentationSize}.",
                    parameterName);
            default:
                throw new ArgumentException(
                    $"savo: the action space must be a bounded one-dimensional Box, or an ActionSet with action representations (RepresentationSize ≥ 1) for the discrete mode; got {actionSpace.Description}.",
                    parameterName);
        }
    }

    /// <summary>Each representation coordinate's min and max over the universe.</summary>
    private static Box RepresentationBox(ActionSet set, string parameterName)
    {
        int size = set.RepresentationSize;
        var low = Enumerable.Repeat(float.PositiveInfinity, size).ToArray();
        var high = Enumerable.Repeat(float.NegativeInfinity, size).ToArray();
        ReadOnlySpan<float> representations = set.Representations;
        for (int i = 0; i < representations.Length; i++)
        {
            float v = representations[i];
            if (!float.IsFinite(v))
                throw new ArgumentException($"savo: action {i / size} has representation[{i % size}] = {v}; representations must be finite.", parameterName);
            low[i % size] = Math.Min(low[i % size], v);
            high[i % size] = Math.Max(high[i % size], v);
        }
        return new Box(low, high, [size]);
    }

    /// <summary>The box the actors' tanh outputs are rescaled to.</summary>
    public Box Box { get; }

    /// <summary>The discrete actions and their representations, or null for a continuous (Box) task.</summary>
    public ActionSet? Actions { get; }

    /// <summary>Whether proposals are projected onto real actions.</summary>
    public bool IsDiscrete => Actions is not null;

    /// <summary>D: the action (or representation) size.</summary>
    public int Size => Box.FlatSize;

    public ActionRescaler Rescaler { get; }

    /// <summary>Clamps actions [.., D] to the box (no gradient).</summary>
    public Tensor Clamp(Tensor actions) => Tensor.Minimum(Tensor.Maximum(actions, Rescaler.Low), Rescaler.High);

    /// <summary>
    /// Real actions for proposals [.., D]: in the discrete mode each row becomes the representation of its nearest
    /// available action (row r reads availability row r mod <paramref name="observations"/>), in the continuous mode the
    /// proposal clamped to the box. No gradient flows through.
    /// </summary>
    /// <param name="proposals">[.., D], rows in candidate-major order (candidate i of observation b is row i·B + b).</param>
    /// <param name="observations">B, the number of observations the rows cycle over.</param>
    /// <param name="availability">[B × N] flags, or empty for every action available.</param>
    /// <param name="ids">Receives each row's action id in the discrete mode (length rows); may be empty.</param>
    public Tensor Project(Tensor proposals, int observations, ReadOnlySpan<bool> availability, Span<int> ids = default)
    {
        using var noGrad = GradMode.NoGrad();
        if (Actions is null) return Clamp(proposals);
        var shape = proposals.ShapeArray();
        var flat = proposals.Reshape(-1, Size);
        int rows = flat.Dim(0);
        var chosen = ids.IsEmpty ? new int[rows] : ids;
        Nearest(flat, observations, availability, chosen, 1);
        return RepresentationRows(chosen[..rows]).Reshape(shape);
    }

    /// <summary>
    /// The ids of the <paramref name="k"/> available actions nearest to each row of <paramref name="points"/> [R, D],
    /// nearest first (lowest id on ties), into <paramref name="ids"/> [R × k]. Discrete mode only.
    /// </summary>
    /// <remarks>
    /// ‖p − r‖² = ‖p‖² − 2p·r + ‖r‖², so the nearest actions maximise p·r − ½‖r‖²: one GEMM [R, D]·[D, N] scores every
    /// action, which is what makes projecting a batch onto ten thousand items affordable.
    /// </remarks>
    public void Nearest(Tensor points, int observations, ReadOnlySpan<bool> availability, Span<int> ids, int k)
    {
        var actions = Actions ?? throw new InvalidOperationException("savo: nearest actions exist only in the discrete mode.");
        int count = actions.Count, size = Size, rows = points.Dim(0);
        ReadOnlySpan<float> representations = actions.Representations;
        var halfNorms = ArrayPool<float>.Shared.Rent(count);
        var scores = ArrayPool<float>.Shared.Rent(rows * count);
        try
        {
            for (int a = 0; a < count; a++)
            {
                var r = representations.Slice(a * size, size);
                halfNorms[a] = 0.5f * TensorPrimitives.Dot(r, r);
            }
            // The representations are stored [N, D]: multiplying by their transpose in place saves copying them.
            GemmDriver.Multiply(false, true, rows, count, size, points.AsReadOnlySpan(), size, representations, size, scores, count, accumulate: false);
            for (int r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(r * count, count);
                TensorPrimitives.Subtract(row, halfNorms.AsSpan(0, count), row);
                var available = availability.IsEmpty ? default : availability.Slice(r % observations * count, count);
                var target = ids.Slice(r * k, k);
                if (k == 1) target[0] = BestAction(row, available);
                else BestActions(row, available, target);
                if (target[0] < 0)
                    throw new InvalidOperationException(available.IsEmpty || available.Contains(true)
                        ? $"savo: proposal {r} has a non-finite score (the actor's output is not finite), so it has no nearest action."
                        : $"savo: observation {r % observations} has no available action to project onto.");
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<float>.Shared.Return(halfNorms);
        }
    }

    /// <summary>The id of the highest-scoring available action, the lowest id on ties; −1 if there is none or a score is NaN.</summary>
    private static int BestAction(ReadOnlySpan<float> scores, ReadOnlySpan<bool> available)
    {
        if (available.IsEmpty)
        {
            // Two vectorised passes beat one branchy scalar pass over ten thousand items.
            float max = TensorPrimitives.Max(scores);
            for (int a = 0; a < scores.Length; a++)
                if (scores[a] == max) return a;
            return -1;
        }
        int best = -1;
        float bestScore = float.NegativeInfinity;
        for (int a = 0; a < scores.Length; a++)
        {
            if (!available[a]) continue;
            float s = scores[a];
            if (float.IsNaN(s)) return -1;
            if (best < 0 || s > bestScore) (best, bestScore) = (a, s);
        }
        return best;
    }

    /// <summary>The ids of the target.Length highest-scoring available actions, best first (lowest id on ties), repeating the best when fewer are available.</summary>
    private static void BestActions(ReadOnlySpan<float> scores, ReadOnlySpan<bool> available, Span<int> target)
    {
        var top = new TopK(target, stackalloc float[target.Length]);
        int a = 0;
        if (available.IsEmpty && Vector.IsHardwareAccelerated)
        {
            // Once k actions are held, almost no later score beats the worst of them: test a vector of scores at a time
            // and look at single scores only where one might. "Not ≤ worst" is also true for a NaN, which Offer rejects.
            int width = Vector<float>.Count;
            for (; a <= scores.Length - width; a += width)
            {
                if (top.IsFull && Vector.LessThanOrEqualAll(new Vector<float>(scores.Slice(a, width)), new Vector<float>(top.Worst))) continue;
                for (int j = a; j < a + width; j++)
                    if (!top.Offer(j, scores[j])) { target[0] = -1; return; }
            }
        }
        for (; a < scores.Length; a++)
            if ((available.IsEmpty || available[a]) && !top.Offer(a, scores[a])) { target[0] = -1; return; }
        for (int j = 1; j < target.Length; j++)
            if (target[j] < 0) target[j] = target[0];
    }

    /// <summary>The k best (id, score) pairs offered so far, best first; earlier ids stay ahead on ties.</summary>
    private ref struct TopK
    {
        private readonly Span<int> _ids;
        private readonly Span<float> _scores;
        private int _count;

        public TopK(Span<int> ids, Span<float> scores)
        {
            _ids = ids;
            _scores = scores;
            _ids.Fill(-1);
        }

        public readonly bool IsFull => _count == _ids.Length;

        /// <summary>The lowest score held (meaningful once full).</summary>
        public readonly float Worst => _scores[_ids.Length - 1];

        /// <summary>Keeps (id, score) if it beats the worst held; false for a NaN score.</summary>
        public bool Offer(int id, float score)
        {
            int k = _ids.Length;
            if (IsFull && score <= Worst) return true;
            if (float.IsNaN(score)) return false;
            int slot = Math.Min(_count, k - 1);
            while (slot > 0 && score > _scores[slot - 1])
            {
                _scores[slot] = _scores[slot - 1];
                _ids[slot] = _ids[slot - 1];
                slot--;
            }
            _scores[slot] = score;
            _ids[slot] = id;
            if (_count < k) _count++;
            return true;
        }
    }

    /// <summary>The representations of <paramref name="ids"/>, [ids.Length, D] (read from the action set at every use, since environments may rewrite them).</summary>
    public Tensor RepresentationRows(ReadOnlySpan<int> ids)
    {
        var actions = Actions!;
        int size = actions.RepresentationSize;
        ReadOnlySpan<float> representations = actions.Representations;
        var rows = Tensor.Zeros(ids.Length, size);
        var destination = rows.AsSpan();
        for (int i = 0; i < ids.Length; i++)
            representations.Slice(ids[i] * size, size).CopyTo(destination.Slice(i * size, size));
        return rows;
    }
}
