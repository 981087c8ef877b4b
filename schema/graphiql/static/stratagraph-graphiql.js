// Starts GraphiQL on the page served at /graphql, against that same endpoint.
// Loaded after React, ReactDOM and GraphiQL (all served from /graphiql/, no CDN).
(function () {
  "use strict";
  var container = document.getElementById("graphiql");
  var endpoint = new URL(container.dataset.endpoint || window.location.pathname, window.location.href);
  var fetcher = GraphiQL.createFetcher({ url: endpoint.toString() });
  var root = ReactDOM.createRoot(container);
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: container.dataset.defaultQuery || undefined,
    }),
  );
})();
