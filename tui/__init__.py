"""The Textual terminal UI behind `ecu chat`. Import `tui.app` only when the UI runs: Textual is heavy."""
