using RLKit.Autograd;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Stateless neural-network functions: normalisations, dropout, losses and similarities. Every function is a
/// composite of differentiable tensor ops, so gradients come from the ops' own backward rules.
/// </summary>
public static class Functional
{
    /// <summary>
    /// Layer normalisation over the last dimension: (x − mean) / √(biased var + eps), then · gamma + beta when given.
    /// </summary>
    /// <param name="x">Input of any rank ≥ 1 whose last dimension is <paramref name="normalizedSize"/>.</param>
    /// <param name="normalizedSize">The size of the last dimension (checked).</param>
    /// <param name="gamma">Optional scale of shape [normalizedSize].</param>
    /// <param name="beta">Optional shift of shape [normalizedSize].</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <exception cref="ArgumentException">If a shape disagrees (the message names both shapes).</exception>
    public static Tensor LayerNorm(Tensor x, int normalizedSize, Tensor? gamma = null, Tensor? beta = null, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Dim(-1) != normalizedSize)
            throw new ArgumentException(
                $"layer_norm: input shape {Tensor.ShapeString(x.Shape)} must end in the normalized size {normalizedSize}.", nameof(x));
        CheckVector("layer_norm", gamma, normalizedSize, x, nameof(gamma));
        CheckVector("layer_norm", beta, normalizedSize, x, nameof(beta));
        CheckPositive("layer_norm", eps, nameof(eps));
        var centered = x - x.Mean(-1, keepDim: true);
        var variance = centered.Square().Mean(-1, keepDim: true);
        var y = centered / (variance + eps).Sqrt();
        if (gamma is not null) y *= gamma;
        if (beta is not null) y += beta;
        return y;
    }

    /// <summary>
    /// Layer normalisation over the last dimension, whatever its size; see
    /// <see cref="LayerNorm(Tensor, int, Tensor?, Tensor?, float)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">If x is a scalar or gamma/beta do not match the last dimension.</exception>
    public static Tensor LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
            throw new ArgumentException("layer_norm: input must have rank at least 1, got a scalar.", nameof(x));
        return LayerNorm(x, x.Dim(-1), gamma, beta, eps);
    }

    /// <summary>
    /// Batch normalisation over the batch (and length) dimensions of x [batch, channels] or
    /// [batch, channels, length], with PyTorch semantics.
    /// </summary>
    /// <remarks>
    /// In training, and whenever no running statistics are given, x is normalised with the batch mean and the
    /// biased batch variance. In training the running statistics (if given) are then updated in place, outside
    /// autograd: running = (1 − momentum) · running + momentum · batch statistic, using the unbiased variance.
    /// In evaluation with running statistics, those are used instead.
    /// </remarks>
    /// <exception cref="ArgumentException">If a shape disagrees, only one running statistic is given, or training sees one value per channel.</exception>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? gamma, Tensor? beta, bool training,
                                   float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (2 or 3))
            throw new ArgumentException(
                $"batch_norm: input shape {Tensor.ShapeString(x.Shape)} must be [batch, channels] or [batch, channels, length].", nameof(x));
        int channels = x.Dim(1);
        CheckVector("batch_norm", runningMean, channels, x, nameof(runningMean));
        CheckVector("batch_norm", runningVar, channels, x, nameof(runningVar));
        CheckVector("batch_norm", gamma, channels, x, nameof(gamma));
        CheckVector("batch_norm", beta, channels, x, nameof(beta));
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException("batch_norm: give both runningMean and runningVar, or neither.", runningMean is null ? nameof(runningMean) : nameof(runningVar));
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "batch_norm: momentum must lie in [0, 1].");
        CheckPositive("batch_norm", eps, nameof(eps));

        int[] statShape = x.Rank == 2 ? [1, channels] : [1, channels, 1];
        bool useRunning = !training && runningMean is not null;
        Tensor y;
        if (useRunning)
        {
            var mean = runningMean!.Reshape(statShape);
            var variance = runningVar!.Reshape(statShape);
            y = (x - mean) / (variance + eps).Sqrt();
        }
        else
        {
            int perChannel = x.Size / Math.Max(channels, 1);
            if (training && perChannel <= 1)
                throw new ArgumentException(
                    $"batch_norm: training needs more than one value per channel, but input shape {Tensor.ShapeString(x.Shape)} has {perChannel}.", nameof(x));
            var mean = MeanOverStatAxes(x);
            var centered = x - mean;
            var variance = MeanOverStatAxes(centered.Square());
            y = centered / (variance + eps).Sqrt();
            if (training && runningMean is not null)
                UpdateRunningStats(runningMean, runningVar!, mean, variance, perChannel, momentum);
        }
        if (gamma is not null) y *= gamma.Reshape(statShape);
        if (beta is not null) y += beta.Reshape(statShape);
        return y;
    }

    private static Tensor MeanOverStatAxes(Tensor t) =>
        t.Rank == 2 ? t.Mean(0, keepDim: true) : t.Mean(2, keepDim: true).Mean(0, keepDim: true);

    private static void UpdateRunningStats(Tensor runningMean, Tensor runningVar, Tensor batchMean, Tensor batchVar, int count, float momentum)
    {
        using var noGrad = GradMode.NoGrad();
        var rm = runningMean.AsSpan();
        var rv = runningVar.AsSpan();
        var m = batchMean.AsReadOnlySpan();
        var v = batchVar.AsReadOnlySpan();
        float unbias = count / (float)(count - 1);
        for (int c = 0; c < rm.Length; c++)
        {
            rm[c] = (1f - momentum) * rm[c] + momentum * m[c];
            rv[c] = (1f - momentum) * rv[c] + momentum * v[c] * unbias;
        }
    }

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and scales the
    /// rest by 1 / (1 − p); otherwise returns x unchanged.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If p is outside [0, 1).</exception>
    public static Tensor Dropout(Tensor x, float p, bool training, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout: p must lie in [0, 1).");
        if (!training || p == 0f) return x;
        var mask = Tensor.Zeros(x.ShapeArray());
        var span = mask.AsSpan();
        float keep = 1f / (1f - p);
        for (int i = 0; i < span.Length; i++) span[i] = rng.NextSingle() >= p ? keep : 0f;
        return x * mask;
    }

    /// <summary>Mean squared error (pred − target)², reduced as asked.</summary>
    /// <exception cref="ArgumentException">If the shapes differ (the message names both).</exception>
    public static Tensor MseLoss(Tensor pred, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("mse_loss", pred, target);
        return Reduce((pred - target).Square(), reduction);
    }

    /// <summary>
    /// Huber loss with PyTorch semantics: 0.5·d² where |d| ≤ delta, else delta·(|d| − 0.5·delta), d = pred − target.
    /// With delta = 1 it equals the smooth-L1 loss.
    /// </summary>
    /// <exception cref="ArgumentException">If the shapes differ (the message names both).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If delta is not positive.</exception>
    public static Tensor HuberLoss(Tensor pred, Tensor target, float delta = 1f, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("huber_loss", pred, target);
        CheckPositive("huber_loss", delta, nameof(delta));
        var absolute = (pred - target).Abs();
        // With q = min(|d|, δ): 0.5·q² + δ·(|d| − q) is 0.5·d² inside and δ·|d| − 0.5·δ² outside, and is smooth at |d| = δ.
        var quadratic = absolute.Clamp(0f, delta);
        return Reduce(quadratic.Square() * 0.5f + (absolute - quadratic) * delta, reduction);
    }

    /// <summary>
    /// Smooth-L1 loss with PyTorch semantics: 0.5·d² / beta where |d| &lt; beta, else |d| − 0.5·beta
    /// (plain L1 when beta = 0). Equals <see cref="HuberLoss"/> / beta.
    /// </summary>
    /// <exception cref="ArgumentException">If the shapes differ (the message names both).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If beta is negative.</exception>
    public static Tensor SmoothL1Loss(Tensor pred, Tensor target, float beta = 1f, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("smooth_l1_loss", pred, target);
        if (!(beta >= 0f) || float.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "smooth_l1_loss: beta must be finite and non-negative.");
        var absolute = (pred - target).Abs();
        if (beta == 0f) return Reduce(absolute, reduction);
        var quadratic = absolute.Clamp(0f, beta);
        return Reduce(quadratic.Square() * (0.5f / beta) + (absolute - quadratic), reduction);
    }

    /// <summary>
    /// Cross-entropy between logits [batch, classes] and integer class targets [batch]: −log softmax(logits)[target],
    /// averaged over the batch by default.
    /// </summary>
    /// <exception cref="ArgumentException">If logits are not 2-D or the target count differs from the batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a target is not a valid class (the message names it).</exception>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2)
            throw new ArgumentException($"cross_entropy: logits shape {Tensor.ShapeString(logits.Shape)} must be [batch, classes].", nameof(logits));
        int batch = logits.Dim(0), classes = logits.Dim(1);
        if (targets.Length != batch)
            throw new ArgumentException(
                $"cross_entropy: {targets.Length} targets given for logits of shape {Tensor.ShapeString(logits.Shape)}; need one per batch row ({batch}).", nameof(targets));
        for (int i = 0; i < targets.Length; i++)
            if ((uint)targets[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i],
                    $"cross_entropy: targets[{i}] = {targets[i]} is out of range; logits of shape {Tensor.ShapeString(logits.Shape)} allow classes 0..{classes - 1}.");
        var negativeLogLikelihood = -logits.LogSoftmax(1).Gather(1, targets).Reshape(batch);
        return Reduce(negativeLogLikelihood, reduction);
    }

    /// <summary>
    /// Cosine similarity along <paramref name="axis"/> (a and b broadcast together):
    /// Σ (a / max(‖a‖, eps)) · (b / max(‖b‖, eps)), as in current PyTorch. The axis is removed.
    /// </summary>
    /// <exception cref="ArgumentException">If the shapes cannot be broadcast together (the message names both).</exception>
    public static Tensor CosineSimilarity(Tensor a, Tensor b, int axis = -1, float eps = 1e-8f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckPositive("cosine_similarity", eps, nameof(eps));
        var shape = BroadcastPlan.ResultShape("cosine_similarity", a.Shape, b.Shape);
        if (shape.Length == 0)
            throw new ArgumentException("cosine_similarity: needs tensors of rank at least 1, got two scalars.", nameof(a));
        // Each operand is normalised in the joint shape, so a broadcast operand is normalised along the same axis.
        if (!a.Shape.SequenceEqual(shape)) a += Tensor.Zeros(shape);
        if (!b.Shape.SequenceEqual(shape)) b += Tensor.Zeros(shape);
        return (L2Normalize(a, axis, eps) * L2Normalize(b, axis, eps)).Sum(axis);
    }

    /// <summary>x / max(‖x‖₂, eps) along <paramref name="axis"/> (PyTorch's F.normalize with p = 2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If eps is not positive or the axis is out of range.</exception>
    public static Tensor L2Normalize(Tensor x, int axis = -1, float eps = 1e-12f)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckPositive("l2_normalize", eps, nameof(eps));
        // √max(Σx², eps²) = max(‖x‖, eps), and stays differentiable at x = 0 (sqrt never sees 0).
        var norm = x.Square().Sum(axis, keepDim: true).Maximum(eps * eps).Sqrt();
        return x / norm;
    }

    /// <summary>
    /// Bilinear form y[b, o] = Σᵢⱼ x1[b, i] · weight[o, i, j] · x2[b, j] (+ bias[o]).
    /// </summary>
    /// <param name="x1">[batch, in1].</param>
    /// <param name="x2">[batch, in2].</param>
    /// <param name="weight">[out, in1, in2].</param>
    /// <param name="bias">Optional [out].</param>
    /// <exception cref="ArgumentException">If a shape disagrees (the message names the shapes).</exception>
    public static Tensor Bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        ArgumentNullException.ThrowIfNull(weight);
        if (x1.Rank != 2 || x2.Rank != 2 || weight.Rank != 3 || x1.Dim(0) != x2.Dim(0) || weight.Dim(1) != x1.Dim(1) || weight.Dim(2) != x2.Dim(1))
            throw new ArgumentException(
                $"bilinear: shapes x1 {Tensor.ShapeString(x1.Shape)}, x2 {Tensor.ShapeString(x2.Shape)} and weight {Tensor.ShapeString(weight.Shape)} " +
                "must be [batch, in1], [batch, in2] and [out, in1, in2].", nameof(weight));
        int batch = x1.Dim(0), in1 = x1.Dim(1), in2 = x2.Dim(1), outputs = weight.Dim(0);
        CheckVector("bilinear", bias, outputs, weight, nameof(bias));
        // x1 · W viewed as [in1, out·in2] gives, per sample, the matrix x1ᵀW_o for every o; a row-wise dot with x2 finishes it.
        var left = Tensor.MatMul(x1, weight.Permute(1, 0, 2).Reshape(in1, outputs * in2)).Reshape(batch, outputs, in2);
        var y = (left * x2.Unsqueeze(1)).Sum(2);
        return bias is null ? y : y + bias;
    }

    private static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        Reduction.None => loss,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction; use Mean, Sum or None."),
    };

    private static void CheckSameShape(string op, Tensor pred, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(target);
        if (!pred.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException(
                $"{op}: pred shape {Tensor.ShapeString(pred.Shape)} and target shape {Tensor.ShapeString(target.Shape)} must be equal.", nameof(target));
    }

    private static void CheckVector(string op, Tensor? vector, int size, Tensor input, string argument)
    {
        if (vector is not null && (vector.Rank != 1 || vector.Dim(0) != size))
            throw new ArgumentException(
                $"{op}: {argument} shape {Tensor.ShapeString(vector.Shape)} must be [{size}] to match shape {Tensor.ShapeString(input.Shape)}.", argument);
    }

    private static void CheckPositive(string op, float value, string argument)
    {
        if (!(value > 0f) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(argument, value, $"{op}: {argument} must be finite and positive.");
    }
}
