/* A link followed inside the phone's menu or contents drawer closes the drawer, so that the reader
   sees where the link led (the theme leaves the drawer open over a same-page target). */
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  const drawer = link && link.closest("#pst-primary-sidebar-modal, #pst-secondary-sidebar-modal");
  if (drawer && drawer.open) drawer.close();
});
