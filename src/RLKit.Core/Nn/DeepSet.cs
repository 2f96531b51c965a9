using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>How a <see cref="DeepSet"/> pools the per-element features over the set.</summary>
public enum SetPooling
{
    /// <summary>Average over the (unmasked) elements; an empty set pools to zeros.</summary>
    Mean,

    /// <summary>Sum over the (unmasked) elements.</summary>
    Sum,
}

/// <summary>
/// A permutation-invariant set encoder (Zaheer et al.): ρ(pool_j φ(x_j)). φ runs on every element, the pooled
/// feature goes through ρ. Children are "phi" and "rho". Used by SAVO to summarise previously chosen actions.
/// </summary>
public sealed class DeepSet : Layer
{
    private readonly Layer _phi, _rho;

    /// <summary>Creates the encoder from any element network φ and set network ρ.</summary>
    public DeepSet(Layer phi, Layer rho, SetPooling pooling = SetPooling.Mean)
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(rho);
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "DeepSet: unknown pooling.");
        _phi = RegisterModule("phi", phi);
        _rho = RegisterModule("rho", rho);
        Pooling = pooling;
    }

    /// <summary>
    /// Creates the encoder with MLPs: φ = Mlp([element, phiHidden…, latent]) with the activation also on its
    /// output, ρ = Mlp([latent, rhoHidden…, output]).
    /// </summary>
    public DeepSet(int elementSize, IReadOnlyList<int> phiHidden, int latentSize, IReadOnlyList<int> rhoHidden, int outputSize,
        RandomGenerator rng, Activation? activation = null, SetPooling pooling = SetPooling.Mean)
        : this(
            new Mlp([elementSize, .. phiHidden ?? throw new ArgumentNullException(nameof(phiHidden)), latentSize], rng, activation, activation ?? Activation.ReLU),
            new Mlp([latentSize, .. rhoHidden ?? throw new ArgumentNullException(nameof(rhoHidden)), outputSize], rng, activation),
            pooling)
    {
    }

    /// <summary>The pooling over the set axis.</summary>
    public SetPooling Pooling { get; }

    /// <summary>Encodes full sets: [B, N, F] → [B, out] (or [N, F] → [out]).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Encodes sets of varying size.</summary>
    /// <param name="set">[B, N, F] (or [N, F] for one set).</param>
    /// <param name="mask">Optional [B, N] (or [N]); nonzero = the element belongs to the set.</param>
    /// <returns>[B, out] (or [out]).</returns>
    /// <exception cref="ArgumentException">If a shape is wrong.</exception>
    public Tensor Forward(Tensor set, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Rank == 2)
        {
            if (mask is not null && mask.Rank != 1)
                throw new ArgumentException($"DeepSet: for one set {Tensor.ShapeString(set.Shape)} the mask must be [N], got {Tensor.ShapeString(mask.Shape)}.", nameof(mask));
            return Forward(set.Unsqueeze(0), mask?.Unsqueeze(0)).Squeeze(0);
        }
        if (set.Rank != 3)
            throw new ArgumentException($"DeepSet: set shape {Tensor.ShapeString(set.Shape)} must be [batch, N, features].", nameof(set));
        int batch = set.Dim(0), n = set.Dim(1);
        var features = _phi.Forward(set); // [B, N, latent]
        Tensor pooled;
        if (mask is null)
            pooled = Pooling == SetPooling.Mean ? features.Mean(1) : features.Sum(1);
        else
        {
            if (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != n)
                throw new ArgumentException($"DeepSet: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch={batch}, N={n}].", nameof(mask));
            var (membership, count) = Membership(mask);
            pooled = (features * membership.Unsqueeze(-1)).Sum(1);
            if (Pooling == SetPooling.Mean) pooled = pooled / count;
        }
        return _rho.Forward(pooled);
    }

    /// <summary>0/1 membership [B, N] and the per-set count [B, 1] (at least 1, so an empty set pools to zeros).</summary>
    private static (Tensor Membership, Tensor Count) Membership(Tensor mask)
    {
        int batch = mask.Dim(0), n = mask.Dim(1);
        var membership = Tensor.Zeros(batch, n);
        var count = Tensor.Zeros(batch, 1);
        var source = mask.AsReadOnlySpan();
        var m = membership.AsSpan();
        var c = count.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int members = 0;
            for (int j = 0; j < n; j++)
                if (source[b * n + j] != 0f) { m[b * n + j] = 1f; members++; }
            c[b] = Math.Max(members, 1);
        }
        return (membership, count);
    }

    /// <inheritdoc/>
    public override string ToString() => $"DeepSet(phi={_phi}, rho={_rho}, {Pooling})";
}
