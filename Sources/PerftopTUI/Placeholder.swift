public enum PerftopTUIPlaceholder {}
