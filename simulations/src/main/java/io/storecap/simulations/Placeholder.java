package io.storecap.simulations; final class Placeholder {}
