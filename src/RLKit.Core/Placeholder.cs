namespace RLKit; internal static class Placeholder {}
