using RLKit.Onnx;
using RLKit.Training;

namespace RLKit.Hosting;

/// <summary><c>rl.Model.ExportOnnx(agent, path)</c>: the RLKit.Onnx package's entry point on the context's model catalog.</summary>
public static class OnnxModelCatalogExtensions
{
    /// <param name="model">The context's model catalog (<see cref="RLContext.Model"/>).</param>
    extension(ModelOperationsCatalog model)
    {
        /// <summary>
        /// Writes <paramref name="agent"/>'s acting network as an ONNX model to <paramref name="path"/>, replacing any file
        /// there atomically; see <see cref="OnnxExporter"/> for the inputs and outputs each agent gets.
        /// </summary>
        /// <inheritdoc cref="OnnxExporter.Export(IAgent, string, OnnxExportOptions?)"/>
        public void ExportOnnx(IAgent agent, string path, OnnxExportOptions? options = null) => OnnxExporter.Export(agent, path, options);
    }
}
