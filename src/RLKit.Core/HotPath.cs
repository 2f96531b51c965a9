using System.Runtime.CompilerServices;

namespace RLKit;

/// <summary>How the methods on the training hot path are compiled: <c>[MethodImpl(HotPath.Optimized)]</c>.</summary>
/// <remarks>
/// <para>
/// The marked methods are the ones a gradient step or an environment step runs hundreds of times: the element loops
/// of the tensor kernels and backward rules, the op entry points and autograd bookkeeping around them, the GEMM
/// driver, the optimizer step, the dense layers, rollout collection and the vector environment's step.
/// </para>
/// <para>
/// Under the runtime's default settings (tiered compilation with dynamic PGO) each of them would start as unoptimised
/// tier-0 code, be recompiled with instrumentation once called 30 times, and reach optimised code only after 30 more
/// calls and a background compilation; a two-second training run spends much of its first half there. Tiered PGO
/// has little to add to them: their loops are straight SIMD or index arithmetic, their calls mostly non-virtual.
/// Marked <see cref="MethodImplOptions.AggressiveOptimization"/>, they are compiled fully optimised at their first
/// call instead, so an ordinary app trains about as fast as one that turns tiered compilation off
/// (docs/performance.md, "Default runtime settings"). Code that runs once per update (logging, checkpoints,
/// validation that ends in an exception) stays tiered: optimising it up front would cost start-up time for nothing.
/// </para>
/// </remarks>
internal static class HotPath
{
    /// <summary>The options of a hot-path method: compiled fully optimised at its first call, bypassing tiering.</summary>
    public const MethodImplOptions Optimized = MethodImplOptions.AggressiveOptimization;
}
