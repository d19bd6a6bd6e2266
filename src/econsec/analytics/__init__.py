"""Analytics: indicators, models and early warning over labelled frames from the store."""
