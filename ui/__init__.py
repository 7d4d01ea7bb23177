"""Qt user interface: bootstrap, main window, one package per tab. Calls services, never SQL."""
