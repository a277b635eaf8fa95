"""The channels a notification travels by, each a small backend behind ``base.ChannelBackend``;
``registry`` lists them."""
