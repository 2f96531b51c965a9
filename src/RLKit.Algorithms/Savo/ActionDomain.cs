using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;

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
        var representations = Representations();
        return representations.IndexSelect(0, chosen[..rows]).Reshape(shape);
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
        int count = actions.Count;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var representations = Representations();
        var halfNorms = (representations * representations).Sum(1) * 0.5f;
        var scores = (points.MatMul(representations.T()) - halfNorms).AsReadOnlySpan();
        int rows = points.Dim(0);
        Span<float> best = stackalloc float[k];
        for (int r = 0; r < rows; r++)
        {
            var row = scores.Slice(r * count, count);
            var available = availability.IsEmpty ? default : availability.Slice(r % observations * count, count);
            var target = ids.Slice(r * k, k);
            best.Fill(float.NegativeInfinity);
            target.Fill(-1);
            for (int a = 0; a < count; a++)
            {
                if (!available.IsEmpty && !available[a]) continue;
                float s = row[a];
                if (s <= best[k - 1] && target[k - 1] >= 0) continue;
                int slot = k - 1;
                while (slot > 0 && (target[slot - 1] < 0 || s > best[slot - 1]))
                {
                    best[slot] = best[slot - 1];
                    target[slot] = target[slot - 1];
                    slot--;
                }
                best[slot] = s;
                target[slot] = a;
            }
            if (target[0] < 0)
                throw new InvalidOperationException($"savo: observation {r % observations} has no available action to project onto.");
            // Fewer available actions than k: repeat the nearest.
            for (int j = 1; j < k; j++)
                if (target[j] < 0) target[j] = target[0];
        }
    }

    /// <summary>The current representations [N, D] (environments may rewrite them, so they are read at every use).</summary>
    public Tensor Representations()
    {
        var actions = Actions!;
        return Tensor.FromSpan(actions.Representations, actions.Count, actions.RepresentationSize);
    }
}
